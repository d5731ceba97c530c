//! Paging of lists that can grow.

use serde::{Deserialize, Serialize};

/// One page of a list: `items`, the `total` number of matches, and the page asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The default page size.
pub const DEFAULT_PER_PAGE: u64 = 50;
/// The largest page size a client may ask for.
pub const MAX_PER_PAGE: u64 = 200;
/// The highest page number a client may ask for: far beyond any list, and small enough that
/// the offset it gives never overflows.
pub const MAX_PAGE: u64 = 1_000_000;

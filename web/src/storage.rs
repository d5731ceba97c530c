//! Local storage of the browser, for what must outlive a page load (the language). Never for
//! tokens: see [`crate::session`].
//!
//! When the browser refuses local storage (some private modes), reads find nothing and writes are
//! dropped: the application still works for the current page load.

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value stored under `key`, if any.
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage()
        && storage.set_item(key, value).is_err()
    {
        leptos::logging::warn!("local storage refused to keep {key}");
    }
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        // Removing a key that cannot be removed leaves nothing to do about it.
        let _ = storage.remove_item(key);
    }
}

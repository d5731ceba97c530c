//! The texts of the home page's work list, in Vietnamese (the default) and English, in Unicode
//! NFC. Kept apart like the other page catalogues: plain texts by [`HKey`], texts with values as
//! methods of [`HCatalogue`], and each language implements the whole trait.

use super::{I18n, Lang};
use shared::worklist::PeriodPhase;

/// Keys of the plain texts of the work list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HKey {
    WorkTitle,
    AwaitingReview,
    UnderReview,
    NotStarted,
    InDraft,
    LegacyQueue,
    ImportsRunning,
    DeadlinesTitle,
    NoPeriod,
    PeriodOver,
    OpenPeriods,
    NothingToDo,
    ViewerNote,
}

/// Every work-list text of one language.
pub trait HCatalogue: Sync {
    fn text(&self, key: HKey) -> &'static str;
    /// The work of `unit` in `period`.
    fn work_intro(&self, unit: &str, period: Option<&str>) -> String;
    fn phase(&self, phase: PeriodPhase) -> &'static str;
    /// When a window closes (dates as the main catalogue writes them), and how soon; `open` is
    /// false for a window that has not opened yet.
    fn deadline(&self, closes: &str, days_left: i64, opens: &str, open: bool) -> String;
}

impl I18n {
    /// The work-list catalogue of the current language (tracked).
    pub fn hcat(&self) -> &'static dyn HCatalogue {
        match self.lang() {
            Lang::Vi => &Vi,
            Lang::En => &En,
        }
    }

    /// A plain work-list text in the current language (tracked).
    pub fn h(&self, key: HKey) -> &'static str {
        self.hcat().text(key)
    }
}

struct Vi;

impl HCatalogue for Vi {
    fn text(&self, key: HKey) -> &'static str {
        match key {
            HKey::WorkTitle => "Việc cần làm",
            HKey::AwaitingReview => "Hồ sơ đã nộp, chờ xét duyệt",
            HKey::UnderReview => "Hồ sơ đang xét duyệt",
            HKey::NotStarted => "Người đã đăng ký, chưa bắt đầu tự đánh giá",
            HKey::InDraft => "Bản tự đánh giá chưa nộp",
            HKey::LegacyQueue => "Địa chỉ cũ chờ chọn xã, phường",
            HKey::ImportsRunning => "Lượt nhập dữ liệu đang chạy",
            HKey::DeadlinesTitle => "Thời hạn",
            HKey::NoPeriod => "Chưa có đợt đánh giá nào. Cán bộ Trung ương tạo đợt của năm.",
            HKey::PeriodOver => "Đợt này đã hết các thời hạn.",
            HKey::OpenPeriods => "Xem các đợt",
            HKey::NothingToDo => "Không có việc nào đang chờ.",
            HKey::ViewerNote => {
                "Tài khoản xem chỉ đọc dữ liệu nên không có danh sách việc cần làm."
            }
        }
    }

    fn work_intro(&self, unit: &str, period: Option<&str>) -> String {
        match period {
            Some(period) => format!("Tại {unit}, trong {period}."),
            None => format!("Tại {unit}."),
        }
    }

    fn phase(&self, phase: PeriodPhase) -> &'static str {
        match phase {
            PeriodPhase::Registration => "Đăng ký",
            PeriodPhase::SelfAssessment => "Tự đánh giá",
            PeriodPhase::Review => "Xét duyệt",
        }
    }

    fn deadline(&self, closes: &str, days_left: i64, opens: &str, open: bool) -> String {
        if !open {
            return format!("mở từ {} đến {}", opens, closes);
        }
        match days_left {
            0 => format!("hôm nay là ngày cuối ({})", closes),
            n => format!("còn {n} ngày, đến hết {}", closes),
        }
    }
}

struct En;

impl HCatalogue for En {
    fn text(&self, key: HKey) -> &'static str {
        match key {
            HKey::WorkTitle => "Your work",
            HKey::AwaitingReview => "Submitted, waiting for review",
            HKey::UnderReview => "Under review",
            HKey::NotStarted => "Registered, self-assessment not started",
            HKey::InDraft => "Self-assessments not submitted",
            HKey::LegacyQueue => "Old addresses waiting for a commune",
            HKey::ImportsRunning => "Imports running",
            HKey::DeadlinesTitle => "Deadlines",
            HKey::NoPeriod => {
                "There is no assessment period yet. The central administrator creates the year's."
            }
            HKey::PeriodOver => "Every deadline of this period has passed.",
            HKey::OpenPeriods => "See the periods",
            HKey::NothingToDo => "Nothing is waiting.",
            HKey::ViewerNote => "A viewer account only reads records, so it has no work list.",
        }
    }

    fn work_intro(&self, unit: &str, period: Option<&str>) -> String {
        match period {
            Some(period) => format!("In {unit}, for {period}."),
            None => format!("In {unit}."),
        }
    }

    fn phase(&self, phase: PeriodPhase) -> &'static str {
        match phase {
            PeriodPhase::Registration => "Registration",
            PeriodPhase::SelfAssessment => "Self-assessment",
            PeriodPhase::Review => "Review",
        }
    }

    fn deadline(&self, closes: &str, days_left: i64, opens: &str, open: bool) -> String {
        if !open {
            return format!("opens {} until {}", opens, closes);
        }
        match days_left {
            0 => format!("today is the last day ({})", closes),
            1 => format!("1 day left, until {}", closes),
            n => format!("{n} days left, until {}", closes),
        }
    }
}

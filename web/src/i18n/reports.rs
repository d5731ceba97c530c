//! The texts of the reports pages (the dashboard, the legacy-unit view, the baselines), in
//! Vietnamese (the default) and English, in Unicode NFC.
//!
//! Kept apart from the main catalogue like the workflow texts: plain texts by [`RKey`], texts
//! with values and labels of codes the API sends as methods of [`RCatalogue`]; each language
//! implements the whole trait.

use super::{I18n, Lang};

/// Keys of the plain texts of the reports pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RKey {
    NavReports,

    ReportsTitle,
    ReportsIntro,
    Period,
    NoPeriods,
    Nation,
    Breadcrumb,
    HeadlineTitle,
    Members,
    ChildrenTitle,
    ChildrenHint,
    ChildrenEmpty,
    ChartMeasure,
    TableTitle,
    Unit,
    Level,
    Total,
    ProgressTitle,
    ProgressIntro,
    Numerator,
    Denominator,
    Rate,
    Target,
    Achievement,
    NoBaseline,
    NoTarget,
    TrendTitle,
    TrendEmpty,
    ByTargetGroup,
    ByGender,
    ByAgeBand,
    ByEthnicity,
    ByReligion,
    SensitiveNote,
    Suppressed,
    NotStated,
    Group,
    ExportTitle,
    ExportReport,
    ExportProgress,
    ExportSeries,
    ExportPeople,
    ExportPeopleHint,
    Csv,
    Xlsx,
    Exporting,
    Print,
    PrintedOn,
    Baselines,
    LegacyLink,
    BackToReport,

    LegacyTitle,
    LegacyIntro,
    LegacyNoPeriods,
    LegacyNation,

    BaselinesTitle,
    BaselinesIntro,
    BaselinesChooseProvince,
    CommunesTitle,
    CommitteesTitle,
    CommitteesEmpty,
    Population,
    AdultPopulation,
    Staff,
    Save,
    Saving,
    ImportTitle,
    ImportHint,
    ImportFile,
    ImportSubmit,
    Importing,
    ImportChooseFile,
    ViewerReadOnly,
}

/// Every reports text of one language.
pub trait RCatalogue: Sync {
    fn text(&self, key: RKey) -> &'static str;
    /// Label of a count of [`shared::report::StatusCounts`] by its column name.
    fn count(&self, column: &str) -> &'static str;
    /// Label of a child unit's level (`province`, `commune`, `branch`, `committee`, the legacy
    /// levels, `unattributed`).
    fn level(&self, level: &str) -> &'static str;
    /// Label of a progress measure (`adults`, `officials`).
    fn measure(&self, measure: &str) -> &'static str;
    /// Label of a gender key (`male`, `female`).
    fn gender(&self, key: &str) -> &'static str;
    /// Label of an age band key (`under_18`, `18_35`, `36_60`, `over_60`).
    fn age_band(&self, key: &str) -> &'static str;
    /// A whole number with the language's digit grouping.
    fn number(&self, n: i64) -> String;
    /// A fraction as a percentage with one decimal.
    fn percent(&self, rate: f64) -> String;
    /// Accessible name of a link that opens the report of `name`.
    fn open_unit(&self, name: &str) -> String;
    /// Text alternative of a bar chart of `measure` drawing the `shown` largest of `count`
    /// units.
    fn bars_desc(&self, measure: &str, shown: usize, count: usize) -> String;
    /// Text alternative of the trend chart over `count` periods.
    fn trend_desc(&self, count: usize) -> String;
    /// Text alternative of a progress bar.
    fn progress_desc(&self, measure: &str, rate: &str, target: &str) -> String;
    fn imported(&self, communes: u64, committees: u64) -> String;
    fn saved_for(&self, name: &str) -> String;
}

impl I18n {
    /// The reports catalogue of the current language (tracked).
    pub fn rcat(&self) -> &'static dyn RCatalogue {
        match self.lang() {
            Lang::Vi => &Vi,
            Lang::En => &En,
        }
    }

    /// A plain reports text in the current language (tracked).
    pub fn r(&self, key: RKey) -> &'static str {
        self.rcat().text(key)
    }
}

/// Groups the digits of `n` by three with `separator`.
fn grouped(n: i64, separator: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    if n < 0 { format!("-{out}") } else { out }
}

struct Vi;

impl RCatalogue for Vi {
    fn text(&self, key: RKey) -> &'static str {
        match key {
            RKey::NavReports => "Báo cáo",

            RKey::ReportsTitle => "Báo cáo Công dân học tập",
            RKey::ReportsIntro => {
                "Số liệu trực tiếp của đơn vị bạn trong đợt đánh giá đã chọn. Chọn một đơn vị \
                 trực thuộc để xem chi tiết."
            }
            RKey::Period => "Đợt đánh giá",
            RKey::NoPeriods => "Chưa có đợt đánh giá nào.",
            RKey::Nation => "Toàn quốc",
            RKey::Breadcrumb => "Cấp đơn vị",
            RKey::HeadlineTitle => "Số liệu chính",
            RKey::Members => "Hội viên",
            RKey::ChildrenTitle => "Theo đơn vị trực thuộc",
            RKey::ChildrenHint => "Chọn tên một đơn vị để xem báo cáo của đơn vị đó.",
            RKey::ChildrenEmpty => "Chưa có số liệu của đơn vị trực thuộc nào.",
            RKey::ChartMeasure => "Chỉ số trên biểu đồ",
            RKey::TableTitle => "Bảng số liệu",
            RKey::Unit => "Đơn vị",
            RKey::Level => "Cấp",
            RKey::Total => "Tổng",
            RKey::ProgressTitle => "Tiến độ so với mục tiêu Quyết định 677/QĐ-TTg",
            RKey::ProgressIntro => {
                "Tỷ lệ = tổng số được công nhận chia cho tổng mẫu số của cả đơn vị (không lấy \
                 trung bình tỷ lệ của các đơn vị trực thuộc)."
            }
            RKey::Numerator => "Được công nhận",
            RKey::Denominator => "Mẫu số",
            RKey::Rate => "Tỷ lệ",
            RKey::Target => "Mục tiêu",
            RKey::Achievement => "Mức hoàn thành",
            RKey::NoBaseline => "Chưa nhập số liệu nền",
            RKey::NoTarget => "Không có mục tiêu",
            RKey::TrendTitle => "Diễn biến qua các đợt",
            RKey::TrendEmpty => "Chưa có đợt đánh giá nào có số liệu.",
            RKey::ByTargetGroup => "Theo nhóm đối tượng",
            RKey::ByGender => "Theo giới tính",
            RKey::ByAgeBand => "Theo nhóm tuổi",
            RKey::ByEthnicity => "Theo dân tộc",
            RKey::ByReligion => "Theo tôn giáo",
            RKey::SensitiveNote => "Ô có dưới 5 người không được hiển thị để bảo vệ danh tính.",
            RKey::Suppressed => "ẩn",
            RKey::NotStated => "Không khai",
            RKey::Group => "Nhóm",
            RKey::ExportTitle => "Tải số liệu",
            RKey::ExportReport => "Báo cáo của đợt",
            RKey::ExportProgress => "Tiến độ so với mục tiêu",
            RKey::ExportSeries => "Diễn biến qua các đợt",
            RKey::ExportPeople => "Danh sách người dân",
            RKey::ExportPeopleHint => "Số định danh trong danh sách được che một phần.",
            RKey::Csv => "CSV",
            RKey::Xlsx => "Excel (XLSX)",
            RKey::Exporting => "Đang tạo tệp…",
            RKey::Print => "In báo cáo",
            RKey::PrintedOn => "Số liệu tại thời điểm in.",
            RKey::Baselines => "Số liệu nền (dân số, biên chế)",
            RKey::LegacyLink => "Xem theo đơn vị hành chính cũ (trước 01/7/2025)",
            RKey::BackToReport => "Về báo cáo",

            RKey::LegacyTitle => "Báo cáo theo đơn vị hành chính cũ",
            RKey::LegacyIntro => {
                "Các đợt trước ngày 01/7/2025 được tổng hợp theo tỉnh, huyện, xã cũ. Số liệu của \
                 xã mới hình thành từ nhiều xã cũ chỉ được quy về cấp mà các xã cũ đó cùng thuộc; \
                 phần còn lại nằm ở dòng “chưa quy được”."
            }
            RKey::LegacyNoPeriods => "Không có đợt đánh giá nào trước ngày 01/7/2025.",
            RKey::LegacyNation => "Cả nước (đơn vị cũ)",

            RKey::BaselinesTitle => "Số liệu nền",
            RKey::BaselinesIntro => {
                "Dân số và dân số trưởng thành của từng xã, số cán bộ, công chức, viên chức, người \
                 lao động của từng ban khuyến học trong đợt. Các tỷ lệ của báo cáo được tính theo \
                 những số này."
            }
            RKey::BaselinesChooseProvince => "Chọn một tỉnh, thành phố để nhập số liệu nền.",
            RKey::CommunesTitle => "Xã, phường",
            RKey::CommitteesTitle => "Ban khuyến học cơ quan, trường học, doanh nghiệp",
            RKey::CommitteesEmpty => "Xã này chưa có ban khuyến học nào.",
            RKey::Population => "Dân số",
            RKey::AdultPopulation => "Dân số trưởng thành",
            RKey::Staff => "Số cán bộ, người lao động",
            RKey::Save => "Lưu",
            RKey::Saving => "Đang lưu…",
            RKey::ImportTitle => "Nhập từ tệp CSV",
            RKey::ImportHint => {
                "Tệp CSV UTF-8 (dấu phẩy hoặc chấm phẩy), dòng đầu là tên cột: \
                 commune_code,population,adult_population và/hoặc committee_id,staff. Có dòng \
                 lỗi thì không dòng nào được lưu."
            }
            RKey::ImportFile => "Tệp CSV",
            RKey::ImportSubmit => "Nhập tệp",
            RKey::Importing => "Đang nhập…",
            RKey::ImportChooseFile => "Hãy chọn một tệp CSV.",
            RKey::ViewerReadOnly => "Vai trò của bạn chỉ được xem số liệu nền.",
        }
    }

    fn count(&self, column: &str) -> &'static str {
        match column {
            "registered" => "Đăng ký",
            "self_assessed" => "Đã tự đánh giá",
            "under_review" => "Chờ thẩm định",
            "review_passed" => "Thẩm định đạt",
            "review_failed" => "Thẩm định không đạt",
            "recognised" => "Được công nhận",
            "not_recognised" => "Không được công nhận",
            "revoked" => "Bị thu hồi",
            "withdrawn" => "Rút đăng ký",
            _ => "—",
        }
    }

    fn level(&self, level: &str) -> &'static str {
        match level {
            "nation" => "Toàn quốc",
            "province" => "Tỉnh, thành phố",
            "commune" => "Xã, phường",
            "branch" => "Chi hội",
            "committee" => "Ban khuyến học",
            "legacy_nation" => "Cả nước (cũ)",
            "legacy_province" => "Tỉnh cũ",
            "legacy_district" => "Huyện cũ",
            "legacy_commune" => "Xã cũ",
            "unattributed" => "Chưa quy được",
            _ => "—",
        }
    }

    fn measure(&self, measure: &str) -> &'static str {
        match measure {
            "adults" => "Người trưởng thành được công nhận (gia đình, dòng họ, cộng đồng học tập)",
            "officials" => {
                "Cán bộ, công chức, viên chức, người lao động được công nhận (đơn vị học tập)"
            }
            _ => "—",
        }
    }

    fn gender(&self, key: &str) -> &'static str {
        match key {
            "male" => "Nam",
            "female" => "Nữ",
            _ => "Khác",
        }
    }

    fn age_band(&self, key: &str) -> &'static str {
        match key {
            "under_18" => "Dưới 18 tuổi",
            "18_35" => "Từ 18 đến 35 tuổi",
            "36_60" => "Từ 36 đến 60 tuổi",
            "over_60" => "Trên 60 tuổi",
            _ => "—",
        }
    }

    fn number(&self, n: i64) -> String {
        grouped(n, '.')
    }

    fn percent(&self, rate: f64) -> String {
        format!("{:.1} %", rate * 100.0).replace('.', ",")
    }

    fn open_unit(&self, name: &str) -> String {
        format!("Xem báo cáo của {name}")
    }

    fn bars_desc(&self, measure: &str, shown: usize, count: usize) -> String {
        if shown < count {
            format!(
                "Biểu đồ thanh: {measure} của {shown} đơn vị có số lớn nhất trong {count} đơn vị \
                 trực thuộc. Số liệu của mọi đơn vị ở bảng bên dưới."
            )
        } else {
            format!(
                "Biểu đồ thanh: {measure} của {count} đơn vị trực thuộc. Số liệu đầy đủ ở bảng \
                 bên dưới."
            )
        }
    }

    fn trend_desc(&self, count: usize) -> String {
        format!(
            "Biểu đồ cột: số đăng ký và số được công nhận của {count} đợt đánh giá, từ cũ đến mới. \
             Số liệu đầy đủ ở bảng bên dưới."
        )
    }

    fn progress_desc(&self, measure: &str, rate: &str, target: &str) -> String {
        format!("{measure}: đạt {rate}, mục tiêu {target}")
    }

    fn imported(&self, communes: u64, committees: u64) -> String {
        format!("Đã nhập số liệu của {communes} xã và {committees} ban khuyến học.")
    }

    fn saved_for(&self, name: &str) -> String {
        format!("Đã lưu số liệu nền của {name}.")
    }
}

struct En;

impl RCatalogue for En {
    fn text(&self, key: RKey) -> &'static str {
        match key {
            RKey::NavReports => "Reports",

            RKey::ReportsTitle => "Learning Citizen reports",
            RKey::ReportsIntro => {
                "Live figures of your unit in the chosen period. Choose a unit below to see its \
                 own report."
            }
            RKey::Period => "Assessment period",
            RKey::NoPeriods => "There are no assessment periods yet.",
            RKey::Nation => "Nationwide",
            RKey::Breadcrumb => "Unit levels",
            RKey::HeadlineTitle => "Headline figures",
            RKey::Members => "Members",
            RKey::ChildrenTitle => "By unit below",
            RKey::ChildrenHint => "Choose a unit's name to open its report.",
            RKey::ChildrenEmpty => "No figures for any unit below yet.",
            RKey::ChartMeasure => "Figure shown in the chart",
            RKey::TableTitle => "Figures",
            RKey::Unit => "Unit",
            RKey::Level => "Level",
            RKey::Total => "Total",
            RKey::ProgressTitle => "Progress against the targets of Decision 677/QĐ-TTg",
            RKey::ProgressIntro => {
                "Rate = everyone recognised divided by the whole unit's denominator (not an \
                 average of the rates of the units below)."
            }
            RKey::Numerator => "Recognised",
            RKey::Denominator => "Denominator",
            RKey::Rate => "Rate",
            RKey::Target => "Target",
            RKey::Achievement => "Achievement",
            RKey::NoBaseline => "No baseline entered",
            RKey::NoTarget => "No target",
            RKey::TrendTitle => "Trend over periods",
            RKey::TrendEmpty => "No period has figures yet.",
            RKey::ByTargetGroup => "By target group",
            RKey::ByGender => "By gender",
            RKey::ByAgeBand => "By age band",
            RKey::ByEthnicity => "By ethnicity",
            RKey::ByReligion => "By religion",
            RKey::SensitiveNote => {
                "Cells of fewer than 5 people are withheld to protect identities."
            }
            RKey::Suppressed => "withheld",
            RKey::NotStated => "Not stated",
            RKey::Group => "Group",
            RKey::ExportTitle => "Download the figures",
            RKey::ExportReport => "Report of the period",
            RKey::ExportProgress => "Progress against the targets",
            RKey::ExportSeries => "Trend over periods",
            RKey::ExportPeople => "List of people",
            RKey::ExportPeopleHint => "Personal ID numbers in the list are partly masked.",
            RKey::Csv => "CSV",
            RKey::Xlsx => "Excel (XLSX)",
            RKey::Exporting => "Preparing the file…",
            RKey::Print => "Print the report",
            RKey::PrintedOn => "Figures as of printing.",
            RKey::Baselines => "Baselines (population, staff)",
            RKey::LegacyLink => "View by the former units (before 1 July 2025)",
            RKey::BackToReport => "Back to the report",

            RKey::LegacyTitle => "Report by former administrative units",
            RKey::LegacyIntro => {
                "Periods before 1 July 2025 are grouped by the former provinces, districts and \
                 communes. A current commune formed from several former communes is attributed \
                 only as far as they share a unit; the rest is in the “unattributed” row."
            }
            RKey::LegacyNoPeriods => "There is no period before 1 July 2025.",
            RKey::LegacyNation => "Nationwide (former units)",

            RKey::BaselinesTitle => "Baselines",
            RKey::BaselinesIntro => {
                "The population and adult population of each commune, and the staff of each \
                 learning committee, in the period. The report's rates are computed against them."
            }
            RKey::BaselinesChooseProvince => "Choose a province to enter its baselines.",
            RKey::CommunesTitle => "Communes",
            RKey::CommitteesTitle => "Learning committees of agencies, schools and enterprises",
            RKey::CommitteesEmpty => "This commune has no learning committee yet.",
            RKey::Population => "Population",
            RKey::AdultPopulation => "Adult population",
            RKey::Staff => "Staff",
            RKey::Save => "Save",
            RKey::Saving => "Saving…",
            RKey::ImportTitle => "Import a CSV file",
            RKey::ImportHint => {
                "A UTF-8 CSV file (comma or semicolon) whose first line names the columns: \
                 commune_code,population,adult_population and/or committee_id,staff. If any row \
                 is wrong, no row is stored."
            }
            RKey::ImportFile => "CSV file",
            RKey::ImportSubmit => "Import the file",
            RKey::Importing => "Importing…",
            RKey::ImportChooseFile => "Choose a CSV file.",
            RKey::ViewerReadOnly => "Your role may only read the baselines.",
        }
    }

    fn count(&self, column: &str) -> &'static str {
        match column {
            "registered" => "Registered",
            "self_assessed" => "Self-assessed",
            "under_review" => "Under review",
            "review_passed" => "Passed review",
            "review_failed" => "Failed review",
            "recognised" => "Recognised",
            "not_recognised" => "Not recognised",
            "revoked" => "Revoked",
            "withdrawn" => "Withdrawn",
            _ => "—",
        }
    }

    fn level(&self, level: &str) -> &'static str {
        match level {
            "nation" => "Nation",
            "province" => "Province",
            "commune" => "Commune",
            "branch" => "Branch",
            "committee" => "Learning committee",
            "legacy_nation" => "Nation (former)",
            "legacy_province" => "Former province",
            "legacy_district" => "Former district",
            "legacy_commune" => "Former commune",
            "unattributed" => "Unattributed",
            _ => "—",
        }
    }

    fn measure(&self, measure: &str) -> &'static str {
        match measure {
            "adults" => "Adults recognised (learning families, clans, communities)",
            "officials" => "Officials and employees recognised (learning units)",
            _ => "—",
        }
    }

    fn gender(&self, key: &str) -> &'static str {
        match key {
            "male" => "Male",
            "female" => "Female",
            _ => "Other",
        }
    }

    fn age_band(&self, key: &str) -> &'static str {
        match key {
            "under_18" => "Under 18",
            "18_35" => "18 to 35",
            "36_60" => "36 to 60",
            "over_60" => "Over 60",
            _ => "—",
        }
    }

    fn number(&self, n: i64) -> String {
        grouped(n, ',')
    }

    fn percent(&self, rate: f64) -> String {
        format!("{:.1}%", rate * 100.0)
    }

    fn open_unit(&self, name: &str) -> String {
        format!("Open the report of {name}")
    }

    fn bars_desc(&self, measure: &str, shown: usize, count: usize) -> String {
        if shown < count {
            format!(
                "Bar chart: {measure} of the {shown} largest of {count} units below. The table \
                 has every unit."
            )
        } else {
            format!(
                "Bar chart: {measure} of {count} units below. The full figures are in the table."
            )
        }
    }

    fn trend_desc(&self, count: usize) -> String {
        format!(
            "Column chart: registered and recognised in {count} periods, oldest first. The full \
             figures are in the table."
        )
    }

    fn progress_desc(&self, measure: &str, rate: &str, target: &str) -> String {
        format!("{measure}: {rate} reached, target {target}")
    }

    fn imported(&self, communes: u64, committees: u64) -> String {
        format!("Imported the baselines of {communes} communes and {committees} committees.")
    }

    fn saved_for(&self, name: &str) -> String {
        format!("Saved the baselines of {name}.")
    }
}

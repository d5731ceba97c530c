//! The texts of the import pages (bulk import, the legacy-address queue, restructurings), in
//! Vietnamese (the default) and English, in Unicode NFC.
//!
//! Kept apart from the other catalogues so that these pages grow without touching them; it
//! works the same way: plain texts by [`IKey`], texts with values as methods of
//! [`ICatalogue`], and each language implements the whole trait.

use super::{I18n, Lang};
use shared::import::{
    AddressPreviewStatus, ChangeKind, ColumnKey, ImportMode, JobStatus, QueueReason, QueueSubject,
    RowStatus, column,
};
use shared::registry::AssociationLevel;

/// Keys of the plain texts of the import pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IKey {
    NavImport,
    NavLegacyQueue,
    NavRestructuring,

    ImportTitle,
    ImportIntro,
    TemplateTitle,
    TemplateHint,
    TemplateXlsx,
    TemplateCsv,
    TemplateColumns,
    ColumnHeader,
    ColumnRequired,
    ColumnDescription,
    ColumnExample,
    Required,
    Optional,
    UploadTitle,
    FileLabel,
    ChooseFile,
    DropHint,
    Upload,
    Uploading,
    PreviewTitle,
    PreviewHint,
    MapTo,
    Ignored,
    RowNumber,
    MissingColumns,
    ModeLabel,
    DryRun,
    Commit,
    DryRunHint,
    JobsTitle,
    JobsEmpty,
    CreatedAt,
    FileName,
    JobStatus,
    Progress,

    JobTitle,
    BackToImports,
    NoSuchJob,
    RowsTitle,
    ErrorsOnly,
    NoRows,
    RowOutcome,
    Commune,
    Messages,
    Person,
    OpenPerson,
    RowPages,
    InterruptedHint,
    Resume,
    Rerun,
    ReportXlsx,
    ReportCsv,

    QueueTitle,
    QueueIntro,
    QueueShow,
    QueuePending,
    QueueResolved,
    QueueEmpty,
    ExistingRecord,
    SentThroughApi,
    ResolvedTo,
    CommuneCodeLabel,
    PickCommune,
    ChooseCommune,
    Select,
    LegacyAddress,
    Candidates,
    Resolve,
    BulkTitle,
    BulkHint,
    BulkMixed,
    BulkResolve,
    ResolveResults,

    RestructuringTitle,
    RestructuringIntro,
    AdminOnly,
    CompareTitle,
    CommunesFile,
    CommunesFileHint,
    LineageFile,
    LineageFileHint,
    ProvincesFile,
    ProvincesFileHint,
    ChooseListFile,
    ProvinceChanges,
    CommuneChanges,
    Compare,
    Comparing,
    DiffTitle,
    NoChanges,
    Code,
    OldName,
    NewName,
    OldProvince,
    NewProvince,
    Successors,
    Records,
    Whole,
    Part,
    ApplyTitle,
    EffectiveDate,
    LegalBasis,
    ApplyInvalid,
    Apply,
    ApplyConfirm,
    ConfirmApply,
    Cancel,
    RestructuringsTitle,
    RestructuringsEmpty,
    AppliedAt,
    UndoneAt,
    Undo,
    UndoConfirm,
    ConfirmUndo,
    RegisteredCount,
    ChooseOldOrNew,
    AmbiguousHeaders,
    AddressPreviewTitle,
    AddressWritten,
    AddressResult,
    CreateVillages,
    CreateVillagesHint,

    UploadProgressLabel,
    UploadReading,
    UploadDone,
    UploadNetworkFailed,
    UploadTooLarge,
    UploadUnreadable,
    UploadServerBusy,
    UploadRefused,
    UploadRetry,
    StartNetworkFailed,
    Applying,
}

/// Every import text of one language.
pub trait ICatalogue: Sync {
    fn text(&self, key: IKey) -> &'static str;
    fn row_status(&self, status: RowStatus) -> &'static str;
    fn job_status(&self, status: JobStatus) -> &'static str;
    fn mode(&self, mode: ImportMode) -> &'static str;
    fn mode_hint(&self, mode: ImportMode) -> &'static str;
    /// Where a previewed row's address leads.
    fn address_status(&self, status: AddressPreviewStatus) -> &'static str;
    /// The name of a template column.
    fn column_name(&self, key: ColumnKey) -> &'static str;
    /// What a template column takes.
    fn column_description(&self, key: ColumnKey) -> &'static str;
    fn reason(&self, reason: QueueReason) -> &'static str;
    /// What a queue item is about: a person, a village, a branch or a committee.
    fn subject(&self, subject: QueueSubject, level: Option<AssociationLevel>) -> &'static str;
    fn reason_hint(&self, reason: QueueReason) -> &'static str;
    fn change_kind(&self, kind: ChangeKind) -> &'static str;
    /// `draft`, `applied` or `undone`.
    fn restructuring_status(&self, status: &str) -> String;
    /// `created`, `moved` or `error`.
    fn resolve_result(&self, result: &str) -> String;
    fn rows_in_file(&self, rows: u64) -> String;
    fn progress(&self, done: u64, total: u64) -> String;
    fn shown_of(&self, shown: usize, total: u64) -> String;
    fn import_row(&self, row: u32) -> String;
    fn selected_count(&self, count: usize) -> String;
    fn moved_queued(&self, moved: u64, queued: u64) -> String;
    /// Bytes of a file sent so far, of its size, and the share.
    fn bytes_sent(&self, sent: f64, total: f64) -> String;
    /// What a stable code of an unreadable file means, when the catalogue knows it.
    fn file_problem(&self, code: &str) -> Option<&'static str>;
}

impl I18n {
    /// The import catalogue of the current language (tracked).
    pub fn icat(&self) -> &'static dyn ICatalogue {
        match self.lang() {
            Lang::Vi => &Vi,
            Lang::En => &En,
        }
    }

    /// A plain import text in the current language (tracked).
    pub fn im(&self, key: IKey) -> &'static str {
        self.icat().text(key)
    }
}

struct Vi;

impl ICatalogue for Vi {
    fn text(&self, key: IKey) -> &'static str {
        match key {
            IKey::NavImport => "Nhập dữ liệu",
            IKey::NavLegacyQueue => "Địa chỉ cũ chờ xử lý",
            IKey::NavRestructuring => "Sắp xếp đơn vị hành chính",

            IKey::ImportTitle => "Nhập dữ liệu công dân từ tệp",
            IKey::ImportIntro => {
                "Tải mẫu, điền dữ liệu rồi tải tệp CSV hoặc XLSX lên. Chạy thử để xem kết quả từng dòng trước khi ghi vào cơ sở dữ liệu."
            }
            IKey::TemplateTitle => "Mẫu tệp nhập",
            IKey::TemplateHint => {
                "Dòng đầu tiên là tên cột. Có thể dùng tên cột khác: hệ thống tự nhận ra và bạn có thể chỉnh lại khi xem trước."
            }
            IKey::TemplateXlsx => "Tải mẫu XLSX",
            IKey::TemplateCsv => "Tải mẫu CSV",
            IKey::TemplateColumns => "Các cột của mẫu",
            IKey::ColumnHeader => "Tên cột",
            IKey::ColumnRequired => "Bắt buộc",
            IKey::ColumnDescription => "Nội dung",
            IKey::ColumnExample => "Ví dụ",
            IKey::Required => "Bắt buộc",
            IKey::Optional => "Không bắt buộc",
            IKey::UploadTitle => "Tải tệp lên",
            IKey::FileLabel => "Tệp CSV hoặc XLSX",
            IKey::ChooseFile => "Hãy chọn một tệp.",
            IKey::DropHint => "Hoặc kéo thả tệp vào khung này",
            IKey::Upload => "Tải lên và xem trước",
            IKey::Uploading => "Đang tải lên…",
            IKey::PreviewTitle => "Xem trước và ghép cột",
            IKey::PreviewHint => {
                "Mỗi cột của tệp được ghép với một cột của mẫu. Chọn lại nếu ghép sai; chọn «Bỏ qua» để không nhập cột đó."
            }
            IKey::MapTo => "Cột của mẫu cho",
            IKey::Ignored => "Bỏ qua",
            IKey::RowNumber => "Dòng",
            IKey::MissingColumns => "Chưa có cột bắt buộc",
            IKey::ModeLabel => "Cách ghi",
            IKey::DryRun => "Chạy thử",
            IKey::Commit => "Nhập dữ liệu",
            IKey::DryRunHint => "Chạy thử chỉ kiểm tra và báo kết quả từng dòng, không ghi gì.",
            IKey::JobsTitle => "Các lần nhập của đơn vị",
            IKey::JobsEmpty => "Đơn vị chưa nhập tệp nào.",
            IKey::CreatedAt => "Thời gian",
            IKey::FileName => "Tệp",
            IKey::JobStatus => "Trạng thái",
            IKey::Progress => "Đã xử lý",

            IKey::JobTitle => "Kết quả nhập",
            IKey::BackToImports => "← Nhập dữ liệu",
            IKey::NoSuchJob => "Không có lần nhập này.",
            IKey::RowsTitle => "Kết quả từng dòng",
            IKey::ErrorsOnly => "Chỉ xem dòng lỗi",
            IKey::NoRows => "Không có dòng nào.",
            IKey::RowOutcome => "Kết quả",
            IKey::Commune => "Xã",
            IKey::Messages => "Thông báo",
            IKey::Person => "Hồ sơ",
            IKey::OpenPerson => "Xem hồ sơ",
            IKey::RowPages => "Các trang kết quả",
            IKey::InterruptedHint => {
                "Lần nhập này bị dừng giữa chừng. Các dòng chưa hoàn tất không được ghi; có thể tiếp tục hoặc chạy lại mà không tạo bản ghi trùng."
            }
            IKey::Resume => "Tiếp tục nhập",
            IKey::Rerun => "Chạy lại",
            IKey::ReportXlsx => "Tải tệp kết quả XLSX",
            IKey::ReportCsv => "Tải tệp kết quả CSV",

            IKey::QueueTitle => "Địa chỉ cũ chờ chọn xã mới",
            IKey::QueueIntro => {
                "Các dòng nhập và hồ sơ ghi địa chỉ trước ngày 01/07/2025 mà xã cũ đã chia cho nhiều xã mới, hoặc không có trong bảng chuyển đổi. Cán bộ cấp tỉnh chọn xã hiện hành cho từng trường hợp; hệ thống không tự đoán."
            }
            IKey::QueueShow => "Hiển thị",
            IKey::QueuePending => "Đang chờ",
            IKey::QueueResolved => "Đã xử lý",
            IKey::QueueEmpty => "Không có trường hợp nào.",
            IKey::ExistingRecord => "Hồ sơ đã có",
            IKey::SentThroughApi => "Gửi qua API, chưa có hồ sơ",
            IKey::ResolvedTo => "Đã chọn xã",
            IKey::CommuneCodeLabel => "Mã xã hiện hành (5 chữ số)",
            IKey::PickCommune => "Xã hiện hành",
            IKey::ChooseOldOrNew => "— Chọn: địa chỉ cũ hay hiện nay? —",
            IKey::AmbiguousHeaders => {
                "Có cột địa chỉ không ghi rõ là địa chỉ cũ (trước 01/07/2025) hay địa chỉ hiện nay. Chọn cho từng cột đánh dấu trước khi nhập."
            }
            IKey::AddressPreviewTitle => "Địa chỉ của các dòng đầu sẽ được ghi vào đâu",
            IKey::AddressWritten => "Địa chỉ trong tệp",
            IKey::AddressResult => "Xã hiện hành / xã để chọn / lý do",
            IKey::CreateVillages => "Thêm thôn, tổ dân phố chưa có vào danh mục của xã",
            IKey::CreateVillagesHint => {
                "Thôn nào chưa có sẽ được thêm và liệt kê trong báo cáo; bỏ chọn thì người đó được ghi không kèm thôn."
            }
            IKey::UploadProgressLabel => "Tiến độ gửi tệp",
            IKey::UploadReading => "Đã gửi xong, máy chủ đang đọc tệp…",
            IKey::UploadDone => "Đã tải tệp lên.",
            IKey::UploadNetworkFailed => {
                "Mất kết nối khi đang gửi tệp nên tệp chưa đến máy chủ. Kiểm tra mạng rồi bấm «Gửi lại tệp này»: tệp bạn đã chọn vẫn được giữ."
            }
            IKey::UploadTooLarge => {
                "Máy chủ từ chối vì tệp lớn hơn mức cho phép. Hãy chia thành nhiều tệp nhỏ hơn rồi tải lên từng tệp."
            }
            IKey::UploadUnreadable => {
                "Máy chủ đã nhận tệp nhưng không đọc được nên chưa lưu gì. Sửa tệp theo thông báo dưới đây (hoặc lưu lại dưới dạng CSV UTF-8 hay XLSX) rồi chọn lại tệp."
            }
            IKey::UploadServerBusy => {
                "Máy chủ tạm thời chưa xử lý được tệp và chưa lưu gì. Đợi một lát rồi bấm «Gửi lại tệp này»."
            }
            IKey::UploadRefused => "Máy chủ từ chối tệp này:",
            IKey::UploadRetry => "Gửi lại tệp này",
            IKey::StartNetworkFailed => {
                "Mất kết nối nên lượt nhập chưa bắt đầu. Cách ghép cột vẫn được giữ: khi có mạng, bấm lại nút."
            }
            IKey::Applying => "Đang áp dụng…",
            IKey::ChooseCommune => "— Chọn xã —",
            IKey::Select => "Chọn",
            IKey::LegacyAddress => "Địa chỉ cũ",
            IKey::Candidates => "Các xã mới có thể",
            IKey::Resolve => "Xác nhận xã",
            IKey::BulkTitle => "Xử lý nhiều trường hợp",
            IKey::BulkHint => "Đánh dấu nhiều trường hợp có cùng danh sách xã mới để chọn một lần.",
            IKey::BulkMixed => {
                "Các trường hợp đã chọn có danh sách xã mới khác nhau; hãy chọn những trường hợp giống nhau."
            }
            IKey::BulkResolve => "Xác nhận xã cho các trường hợp đã chọn",
            IKey::ResolveResults => "Kết quả xử lý",

            IKey::RestructuringTitle => "Sắp xếp đơn vị hành chính",
            IKey::RestructuringIntro => {
                "Tải danh mục đơn vị hành chính mới, xem khác biệt với danh mục hiện hành, áp dụng theo văn bản pháp lý và hoàn tác khi cần."
            }
            IKey::AdminOnly => "Chỉ quản trị viên Trung ương được sắp xếp đơn vị hành chính.",
            IKey::CompareTitle => "Danh mục mới",
            IKey::CommunesFile => "Tệp danh mục xã (CSV)",
            IKey::CommunesFileHint => {
                "Cột: code, name, type, province_code (như dvhc-2025-communes.csv); bỏ trống khi danh mục xã không đổi. Có thể kéo thả tệp vào khung này"
            }
            IKey::LineageFile => "Tệp chuyển đổi (CSV, không bắt buộc)",
            IKey::LineageFileHint => {
                "Theo mẫu dvhc-2025-conversion.csv: xã cũ → xã mới, sáp nhập toàn bộ hay một phần."
            }
            IKey::ProvincesFile => "Tệp danh mục tỉnh (CSV)",
            IKey::ProvincesFileHint => {
                "Cột: code, name, type (tỉnh hoặc thành phố trung ương), có thể thêm codename, phone_code (như dvhc-2025-provinces.csv); bỏ trống khi danh mục tỉnh không đổi. Có thể kéo thả tệp vào khung này"
            }
            IKey::ChooseListFile => "Hãy chọn tệp danh mục xã, tệp danh mục tỉnh, hoặc cả hai.",
            IKey::ProvinceChanges => "Tỉnh, thành phố",
            IKey::CommuneChanges => "Xã, phường, đặc khu",
            IKey::Compare => "So sánh",
            IKey::Comparing => "Đang so sánh…",
            IKey::DiffTitle => "Khác biệt với danh mục hiện hành",
            IKey::NoChanges => "Danh mục mới giống danh mục hiện hành.",
            IKey::Code => "Mã",
            IKey::OldName => "Tên cũ",
            IKey::NewName => "Tên mới",
            IKey::OldProvince => "Tỉnh cũ",
            IKey::NewProvince => "Tỉnh mới",
            IKey::Successors => "Chuyển về",
            IKey::Records => "Số bản ghi",
            IKey::Whole => "toàn bộ",
            IKey::Part => "một phần",
            IKey::ApplyTitle => "Áp dụng",
            IKey::EffectiveDate => "Ngày có hiệu lực",
            IKey::LegalBasis => "Căn cứ pháp lý",
            IKey::ApplyInvalid => "Nhập ngày có hiệu lực và căn cứ pháp lý (3 đến 300 ký tự).",
            IKey::Apply => "Áp dụng danh mục mới",
            IKey::ApplyConfirm => {
                "Áp dụng sẽ đổi danh mục đơn vị và chuyển các hồ sơ theo bảng chuyển đổi; hồ sơ của xã bị chia được đưa vào hàng chờ. Tiếp tục?"
            }
            IKey::ConfirmApply => "Xác nhận áp dụng",
            IKey::Cancel => "Hủy",
            IKey::RestructuringsTitle => "Các lần sắp xếp đã áp dụng",
            IKey::RestructuringsEmpty => "Chưa áp dụng lần sắp xếp nào.",
            IKey::AppliedAt => "áp dụng lúc",
            IKey::UndoneAt => "hoàn tác lúc",
            IKey::Undo => "Hoàn tác",
            IKey::UndoConfirm => {
                "Hoàn tác sẽ khôi phục danh mục đơn vị và mọi hồ sơ đã chuyển như trước khi áp dụng. Tiếp tục?"
            }
            IKey::ConfirmUndo => "Xác nhận hoàn tác",
            IKey::RegisteredCount => "Đăng ký danh hiệu",
        }
    }

    fn row_status(&self, status: RowStatus) -> &'static str {
        status.label_vi()
    }

    fn job_status(&self, status: JobStatus) -> &'static str {
        match status {
            JobStatus::Queued => "Đang chờ",
            JobStatus::Running => "Đang chạy",
            JobStatus::Completed => "Hoàn tất",
            JobStatus::Failed => "Thất bại",
            JobStatus::Interrupted => "Bị gián đoạn",
        }
    }

    fn mode(&self, mode: ImportMode) -> &'static str {
        match mode {
            ImportMode::DryRun => "Chạy thử",
            ImportMode::AllOrNothing => "Tất cả hoặc không",
            ImportMode::ValidOnly => "Chỉ dòng hợp lệ",
        }
    }

    fn mode_hint(&self, mode: ImportMode) -> &'static str {
        match mode {
            ImportMode::DryRun => "Không ghi gì, chỉ báo kết quả.",
            ImportMode::AllOrNothing => {
                "Chỉ ghi khi mọi dòng đều hợp lệ; có một dòng lỗi thì không ghi dòng nào."
            }
            ImportMode::ValidOnly => "Ghi các dòng hợp lệ, báo lỗi các dòng còn lại.",
        }
    }

    fn address_status(&self, status: AddressPreviewStatus) -> &'static str {
        match status {
            AddressPreviewStatus::Current => "Xã hiện hành",
            AddressPreviewStatus::Converted => "Chuyển đổi từ địa chỉ cũ",
            AddressPreviewStatus::Queued => "Chờ cán bộ chọn xã",
            AddressPreviewStatus::Error => "Lỗi",
        }
    }

    fn column_name(&self, key: ColumnKey) -> &'static str {
        column(key).header
    }

    fn column_description(&self, key: ColumnKey) -> &'static str {
        column(key).description
    }

    fn subject(&self, subject: QueueSubject, level: Option<AssociationLevel>) -> &'static str {
        match (subject, level) {
            (QueueSubject::Person, _) => "Người",
            (QueueSubject::Village, _) => "Thôn, tổ dân phố",
            (QueueSubject::AssociationUnit, Some(AssociationLevel::Committee)) => "Ban khuyến học",
            (QueueSubject::AssociationUnit, _) => "Chi hội",
        }
    }

    fn reason(&self, reason: QueueReason) -> &'static str {
        match reason {
            QueueReason::Split => "Xã cũ bị chia",
            QueueReason::Unmapped => "Không có trong bảng chuyển đổi",
            QueueReason::Restructured => "Xã bị giải thể khi sắp xếp",
        }
    }

    fn reason_hint(&self, reason: QueueReason) -> &'static str {
        match reason {
            QueueReason::Split => {
                "Xã cũ đã được chia cho nhiều xã mới; chọn xã nơi người này sinh sống."
            }
            QueueReason::Unmapped => {
                "Không tìm thấy xã cũ trong bảng chuyển đổi; nhập mã xã hiện hành của tỉnh."
            }
            QueueReason::Restructured => {
                "Xã của hồ sơ bị giải thể mà không có một xã kế thừa duy nhất; chọn xã mới (thôn, chi hội chuyển sang cùng các hội viên)."
            }
        }
    }

    fn change_kind(&self, kind: ChangeKind) -> &'static str {
        match kind {
            ChangeKind::Added => "Thêm mới",
            ChangeKind::Renamed => "Đổi tên",
            ChangeKind::Moved => "Chuyển tỉnh",
            ChangeKind::Merged => "Sáp nhập",
            ChangeKind::Dissolved => "Giải thể, chia tách",
        }
    }

    fn restructuring_status(&self, status: &str) -> String {
        match status {
            "draft" => "Bản nháp",
            "applied" => "Đã áp dụng",
            "undone" => "Đã hoàn tác",
            other => other,
        }
        .to_string()
    }

    fn resolve_result(&self, result: &str) -> String {
        match result {
            "created" => "đã tạo hồ sơ",
            "moved" => "đã chuyển xã",
            "error" => "lỗi",
            other => other,
        }
        .to_string()
    }

    fn rows_in_file(&self, rows: u64) -> String {
        format!("{rows} dòng dữ liệu")
    }

    fn progress(&self, done: u64, total: u64) -> String {
        format!("Đã xử lý {done}/{total} dòng")
    }

    fn shown_of(&self, shown: usize, total: u64) -> String {
        format!("Đang hiển thị {shown} trên {total} trường hợp.")
    }

    fn import_row(&self, row: u32) -> String {
        format!("Dòng {row} của tệp nhập")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("Đã chọn {count} trường hợp")
    }

    fn moved_queued(&self, moved: u64, queued: u64) -> String {
        format!("{moved} bản ghi được chuyển, {queued} bản ghi vào hàng chờ")
    }

    fn bytes_sent(&self, sent: f64, total: f64) -> String {
        let share = share(sent, total);
        format!(
            "Đã gửi {} / {} ({share}\u{a0}%)",
            size(sent).replace('.', ","),
            size(total).replace('.', ",")
        )
    }

    fn file_problem(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "empty_file" => "Tệp trống.",
            "not_utf8" => "Tệp CSV không phải mã UTF-8: mở tệp và lưu lại dưới dạng «CSV UTF-8».",
            "invalid_csv" => "Tệp không phải CSV hợp lệ.",
            "invalid_xlsx" => {
                "Tệp không phải XLSX hợp lệ (có thể là tệp XLS cũ): lưu lại dưới dạng XLSX."
            }
            "no_header_row" => "Tệp không có dòng tên cột.",
            _ => return None,
        })
    }
}

struct En;

impl ICatalogue for En {
    fn text(&self, key: IKey) -> &'static str {
        match key {
            IKey::NavImport => "Import",
            IKey::NavLegacyQueue => "Old addresses to settle",
            IKey::NavRestructuring => "Unit restructuring",

            IKey::ImportTitle => "Import citizens from a file",
            IKey::ImportIntro => {
                "Download the template, fill it in and upload a CSV or XLSX file. Run a dry run to see every row's outcome before anything is written."
            }
            IKey::TemplateTitle => "Import template",
            IKey::TemplateHint => {
                "The first line holds the column names. Other names work too: they are matched automatically and you can correct the matching in the preview."
            }
            IKey::TemplateXlsx => "Download the XLSX template",
            IKey::TemplateCsv => "Download the CSV template",
            IKey::TemplateColumns => "The template's columns",
            IKey::ColumnHeader => "Column",
            IKey::ColumnRequired => "Required",
            IKey::ColumnDescription => "Contents",
            IKey::ColumnExample => "Example",
            IKey::Required => "Required",
            IKey::Optional => "Optional",
            IKey::UploadTitle => "Upload a file",
            IKey::FileLabel => "CSV or XLSX file",
            IKey::ChooseFile => "Choose a file.",
            IKey::DropHint => "Or drop the file on this box",
            IKey::Upload => "Upload and preview",
            IKey::Uploading => "Uploading…",
            IKey::PreviewTitle => "Preview and column matching",
            IKey::PreviewHint => {
                "Each column of the file goes to a column of the template. Choose another if the match is wrong; choose “Ignore” to leave a column out."
            }
            IKey::MapTo => "Template column for",
            IKey::Ignored => "Ignore",
            IKey::RowNumber => "Row",
            IKey::MissingColumns => "Required columns not matched",
            IKey::ModeLabel => "How to write",
            IKey::DryRun => "Dry run",
            IKey::Commit => "Import",
            IKey::DryRunHint => {
                "A dry run only checks the rows and reports their outcome; it writes nothing."
            }
            IKey::JobsTitle => "Imports of the unit",
            IKey::JobsEmpty => "The unit has imported no file yet.",
            IKey::CreatedAt => "Time",
            IKey::FileName => "File",
            IKey::JobStatus => "Status",
            IKey::Progress => "Processed",

            IKey::JobTitle => "Import result",
            IKey::BackToImports => "← Import",
            IKey::NoSuchJob => "There is no such import.",
            IKey::RowsTitle => "Outcome of each row",
            IKey::ErrorsOnly => "Errors only",
            IKey::NoRows => "No rows.",
            IKey::RowOutcome => "Outcome",
            IKey::Commune => "Commune",
            IKey::Messages => "Messages",
            IKey::Person => "Record",
            IKey::OpenPerson => "Open the record",
            IKey::RowPages => "Pages of results",
            IKey::InterruptedHint => {
                "This import stopped part-way. Rows it had not finished were not written; it can be resumed or run again without creating duplicates."
            }
            IKey::Resume => "Resume the import",
            IKey::Rerun => "Run again",
            IKey::ReportXlsx => "Download the annotated XLSX",
            IKey::ReportCsv => "Download the annotated CSV",

            IKey::QueueTitle => "Old addresses waiting for their commune",
            IKey::QueueIntro => {
                "Import rows and records with an address from before 2025-07-01 whose old commune was split over several new communes, or is not in the conversion table. A province officer picks the current commune for each; nothing is guessed."
            }
            IKey::QueueShow => "Show",
            IKey::QueuePending => "Waiting",
            IKey::QueueResolved => "Settled",
            IKey::QueueEmpty => "Nothing here.",
            IKey::ExistingRecord => "Existing record",
            IKey::SentThroughApi => "Sent through the API, no record yet",
            IKey::ResolvedTo => "Commune chosen",
            IKey::CommuneCodeLabel => "Current commune code (5 digits)",
            IKey::PickCommune => "Current commune",
            IKey::ChooseOldOrNew => "— Choose: old or current address? —",
            IKey::AmbiguousHeaders => {
                "Some address columns do not say whether they hold the old address (before 2025-07-01) or the current one. Choose for each marked column before importing."
            }
            IKey::AddressPreviewTitle => "Where the first rows' addresses lead",
            IKey::AddressWritten => "Address in the file",
            IKey::AddressResult => "Current commune / communes to choose from / reason",
            IKey::CreateVillages => "Add villages the commune does not list yet",
            IKey::CreateVillagesHint => {
                "Missing villages are added and listed in the report; unticked, the person is written without a village."
            }
            IKey::UploadProgressLabel => "Upload progress",
            IKey::UploadReading => "Sent; the server is reading the file…",
            IKey::UploadDone => "The file is uploaded.",
            IKey::UploadNetworkFailed => {
                "The connection was lost while sending, so the file did not reach the server. Check the network, then press “Send this file again”: the file you chose is kept."
            }
            IKey::UploadTooLarge => {
                "The server refused the file: it is larger than allowed. Split it into smaller files and upload them one by one."
            }
            IKey::UploadUnreadable => {
                "The server received the file but cannot read it, and stored nothing. Fix the file as the message below says (or save it again as UTF-8 CSV or XLSX), then choose it again."
            }
            IKey::UploadServerBusy => {
                "The server could not handle the file just now and stored nothing. Wait a moment, then press “Send this file again”."
            }
            IKey::UploadRefused => "The server refused this file:",
            IKey::UploadRetry => "Send this file again",
            IKey::StartNetworkFailed => {
                "The connection was lost, so the import did not start. The column matching is kept: press the button again once online."
            }
            IKey::Applying => "Applying…",
            IKey::ChooseCommune => "— Choose a commune —",
            IKey::Select => "Select",
            IKey::LegacyAddress => "Old address",
            IKey::Candidates => "Possible new communes",
            IKey::Resolve => "Confirm the commune",
            IKey::BulkTitle => "Settle several at once",
            IKey::BulkHint => {
                "Tick several entries with the same possible communes to choose one for all."
            }
            IKey::BulkMixed => {
                "The selected entries have different possible communes; select entries that share them."
            }
            IKey::BulkResolve => "Confirm the commune for the selected entries",
            IKey::ResolveResults => "Outcome",

            IKey::RestructuringTitle => "Restructuring of administrative units",
            IKey::RestructuringIntro => {
                "Upload a newer official list of units, see how it differs from the current one, apply it under its legal basis, and undo it if needed."
            }
            IKey::AdminOnly => "Only central administrators restructure administrative units.",
            IKey::CompareTitle => "Newer list",
            IKey::CommunesFile => "Communes file (CSV)",
            IKey::CommunesFileHint => {
                "Columns: code, name, type, province_code (as in dvhc-2025-communes.csv); leave it out when the communes do not change. You can also drop the file on this box"
            }
            IKey::LineageFile => "Conversion file (CSV, optional)",
            IKey::LineageFileHint => {
                "As dvhc-2025-conversion.csv: old commune → new commune, wholly or in part."
            }
            IKey::ProvincesFile => "Provinces file (CSV)",
            IKey::ProvincesFileHint => {
                "Columns: code, name, type (tỉnh or thành phố trung ương), optionally codename, phone_code (as in dvhc-2025-provinces.csv); leave it out when the provinces do not change. You can also drop the file on this box"
            }
            IKey::ChooseListFile => "Choose a communes file, a provinces file, or both.",
            IKey::ProvinceChanges => "Provinces",
            IKey::CommuneChanges => "Communes",
            IKey::Compare => "Compare",
            IKey::Comparing => "Comparing…",
            IKey::DiffTitle => "Differences with the current list",
            IKey::NoChanges => "The newer list is the same as the current one.",
            IKey::Code => "Code",
            IKey::OldName => "Old name",
            IKey::NewName => "New name",
            IKey::OldProvince => "Old province",
            IKey::NewProvince => "New province",
            IKey::Successors => "Goes to",
            IKey::Records => "Records",
            IKey::Whole => "whole",
            IKey::Part => "part",
            IKey::ApplyTitle => "Apply",
            IKey::EffectiveDate => "Effective date",
            IKey::LegalBasis => "Legal basis",
            IKey::ApplyInvalid => {
                "Enter the effective date and the legal basis (3 to 300 characters)."
            }
            IKey::Apply => "Apply the newer list",
            IKey::ApplyConfirm => {
                "Applying changes the list of units and moves records along the lineage; records of split communes go to the queue. Continue?"
            }
            IKey::ConfirmApply => "Confirm and apply",
            IKey::Cancel => "Cancel",
            IKey::RestructuringsTitle => "Applied restructurings",
            IKey::RestructuringsEmpty => "No restructuring has been applied.",
            IKey::AppliedAt => "applied at",
            IKey::UndoneAt => "undone at",
            IKey::Undo => "Undo",
            IKey::UndoConfirm => {
                "Undoing restores the units and every moved record as they were before. Continue?"
            }
            IKey::ConfirmUndo => "Confirm and undo",
            IKey::RegisteredCount => "Registered for the title",
        }
    }

    fn row_status(&self, status: RowStatus) -> &'static str {
        match status {
            RowStatus::Created => "Created",
            RowStatus::Updated => "Updated",
            RowStatus::Unchanged => "Unchanged",
            RowStatus::Error => "Error",
            RowStatus::Queued => "Waiting for a commune",
            RowStatus::Skipped => "Not written (the file has errors)",
        }
    }

    fn job_status(&self, status: JobStatus) -> &'static str {
        match status {
            JobStatus::Queued => "Queued",
            JobStatus::Running => "Running",
            JobStatus::Completed => "Completed",
            JobStatus::Failed => "Failed",
            JobStatus::Interrupted => "Interrupted",
        }
    }

    fn address_status(&self, status: AddressPreviewStatus) -> &'static str {
        match status {
            AddressPreviewStatus::Current => "Current commune",
            AddressPreviewStatus::Converted => "Converted from the old address",
            AddressPreviewStatus::Queued => "Waiting for an officer's choice",
            AddressPreviewStatus::Error => "Error",
        }
    }

    fn mode(&self, mode: ImportMode) -> &'static str {
        match mode {
            ImportMode::DryRun => "Dry run",
            ImportMode::AllOrNothing => "All or nothing",
            ImportMode::ValidOnly => "Valid rows only",
        }
    }

    fn mode_hint(&self, mode: ImportMode) -> &'static str {
        match mode {
            ImportMode::DryRun => "Writes nothing; reports the outcome only.",
            ImportMode::AllOrNothing => {
                "Writes only when every row is valid; one error and nothing is written."
            }
            ImportMode::ValidOnly => "Writes the valid rows and reports the others.",
        }
    }

    fn column_name(&self, key: ColumnKey) -> &'static str {
        match key {
            ColumnKey::FullName => "Full name",
            ColumnKey::Gender => "Gender",
            ColumnKey::Birth => "Date of birth",
            ColumnKey::PersonalId => "Personal ID number",
            ColumnKey::Phone => "Phone number",
            ColumnKey::Province => "Province (current)",
            ColumnKey::CommuneCode => "Commune (current)",
            ColumnKey::Village => "Village",
            ColumnKey::Occupation => "Occupation",
            ColumnKey::TargetGroup => "Target group",
            ColumnKey::Workplace => "Workplace",
            ColumnKey::ExternalId => "Record code",
            ColumnKey::LegacyProvince => "Old province",
            ColumnKey::LegacyDistrict => "Old district",
            ColumnKey::LegacyCommune => "Old commune",
            ColumnKey::MemberJoinedOn => "Joined the Association on",
            ColumnKey::MemberCardNumber => "Member card number",
            ColumnKey::MemberRole => "Role in the Association",
            ColumnKey::RegistrationYear => "Registration year",
            ColumnKey::ReviewingUnit => "Reviewing unit",
        }
    }

    fn column_description(&self, key: ColumnKey) -> &'static str {
        match key {
            ColumnKey::FullName => "Full name, with diacritics",
            ColumnKey::Gender => "Nam (male) or Nữ (female)",
            ColumnKey::Birth => "dd/mm/yyyy, yyyy-mm-dd or the year of birth alone (yyyy)",
            ColumnKey::PersonalId => "12 digits (spaces or dots allowed)",
            ColumnKey::Phone => "A Vietnamese mobile or landline number",
            ColumnKey::Province => {
                "The current province (since 2025-07-01): 2-digit code or name; needed when the commune is written by name"
            }
            ColumnKey::CommuneCode => {
                "The current commune, ward or special zone: its 5-digit code, or its name within the province column; leave empty when giving the old address"
            }
            ColumnKey::Village => {
                "Village or residential group; one the commune does not list yet is added (an import option)"
            }
            ColumnKey::Occupation => "Occupation",
            ColumnKey::TargetGroup => {
                "Code or name of the target group (see the list of target groups)"
            }
            ColumnKey::Workplace => "Office, school or business",
            ColumnKey::ExternalId => {
                "The unit's own code; identifies the record on a re-import when there is no ID number"
            }
            ColumnKey::LegacyProvince => {
                "Province before 2025-07-01: code or name, with or without diacritics"
            }
            ColumnKey::LegacyDistrict => "District before 2025-07-01: code or name",
            ColumnKey::LegacyCommune => "Commune before 2025-07-01: code or name",
            ColumnKey::MemberJoinedOn => {
                "When given, the person is a member of the commune's Association"
            }
            ColumnKey::MemberCardNumber => "Member card number",
            ColumnKey::MemberRole => {
                "Chủ tịch, Phó chủ tịch, Ủy viên, Chi hội trưởng or Hội viên (the default)"
            }
            ColumnKey::RegistrationYear => {
                "When given, the person is registered for the Learning Citizen title in that year's period (it must be open for registration; needs a target group)"
            }
            ColumnKey::ReviewingUnit => {
                "The commune's branch or committee that reviews the registration; empty: as the period's rules say"
            }
        }
    }

    fn subject(&self, subject: QueueSubject, level: Option<AssociationLevel>) -> &'static str {
        match (subject, level) {
            (QueueSubject::Person, _) => "Person",
            (QueueSubject::Village, _) => "Village or residential group",
            (QueueSubject::AssociationUnit, Some(AssociationLevel::Committee)) => {
                "Study-promotion committee"
            }
            (QueueSubject::AssociationUnit, _) => "Branch",
        }
    }

    fn reason(&self, reason: QueueReason) -> &'static str {
        match reason {
            QueueReason::Split => "Old commune split",
            QueueReason::Unmapped => "Not in the conversion table",
            QueueReason::Restructured => "Commune dissolved by a restructuring",
        }
    }

    fn reason_hint(&self, reason: QueueReason) -> &'static str {
        match reason {
            QueueReason::Split => {
                "The old commune was split over several new communes; choose the one where the person lives."
            }
            QueueReason::Unmapped => {
                "The old commune is not in the conversion table; enter the code of a current commune of the province."
            }
            QueueReason::Restructured => {
                "The record's commune was dissolved without a single successor; choose the new commune (a village or a branch moves with its members)."
            }
        }
    }

    fn change_kind(&self, kind: ChangeKind) -> &'static str {
        match kind {
            ChangeKind::Added => "Added",
            ChangeKind::Renamed => "Renamed",
            ChangeKind::Moved => "Moved to another province",
            ChangeKind::Merged => "Merged",
            ChangeKind::Dissolved => "Dissolved or split",
        }
    }

    fn restructuring_status(&self, status: &str) -> String {
        match status {
            "draft" => "Draft",
            "applied" => "Applied",
            "undone" => "Undone",
            other => other,
        }
        .to_string()
    }

    fn resolve_result(&self, result: &str) -> String {
        match result {
            "created" => "record created",
            "moved" => "moved to the commune",
            "error" => "error",
            other => other,
        }
        .to_string()
    }

    fn rows_in_file(&self, rows: u64) -> String {
        if rows == 1 {
            "1 data row".to_string()
        } else {
            format!("{rows} data rows")
        }
    }

    fn progress(&self, done: u64, total: u64) -> String {
        format!("{done} of {total} rows processed")
    }

    fn shown_of(&self, shown: usize, total: u64) -> String {
        format!("Showing {shown} of {total} entries.")
    }

    fn import_row(&self, row: u32) -> String {
        format!("Row {row} of an import")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("{count} selected")
    }

    fn moved_queued(&self, moved: u64, queued: u64) -> String {
        format!("{moved} records moved, {queued} queued")
    }

    fn bytes_sent(&self, sent: f64, total: f64) -> String {
        format!(
            "{} of {} sent ({}\u{a0}%)",
            size(sent),
            size(total),
            share(sent, total)
        )
    }

    fn file_problem(&self, code: &str) -> Option<&'static str> {
        Some(match code {
            "empty_file" => "The file is empty.",
            "not_utf8" => "The CSV file is not UTF-8: open it and save it as “CSV UTF-8”.",
            "invalid_csv" => "The file is not valid CSV.",
            "invalid_xlsx" => {
                "The file is not a valid XLSX (an old XLS, perhaps): save it as XLSX."
            }
            "no_header_row" => "The file has no row of column names.",
            _ => return None,
        })
    }
}

/// A size in bytes, kilobytes or megabytes, with one decimal past a kilobyte.
fn size(bytes: f64) -> String {
    if bytes < 1000.0 {
        format!("{bytes:.0} B")
    } else if bytes < 1_000_000.0 {
        format!("{:.1} kB", bytes / 1000.0)
    } else {
        format!("{:.2} MB", bytes / 1_000_000.0)
    }
}

/// `sent` of `total` in whole percent (100 for an empty file), never above 100.
fn share(sent: f64, total: f64) -> u32 {
    if total <= 0.0 {
        return 100;
    }
    // Clamped to 0..=100 first, so the conversion is exact.
    (sent / total * 100.0).floor().clamp(0.0, 100.0) as u32
}

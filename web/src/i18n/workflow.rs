//! The texts of the Learning Citizen workflow pages (registration, assessment, review,
//! recognition decisions, criteria sets, the public certificate check), in Vietnamese (the
//! default) and English, in Unicode NFC.
//!
//! Kept apart from the main catalogue so that the workflow pages grow without touching it; it
//! works the same way: plain texts by [`WKey`], texts with values as methods of
//! [`WCatalogue`], and each language implements the whole trait.

use super::{I18n, Lang};
use leptos::prelude::GetUntracked;
use shared::assessment::{AssessmentStatus, EffectiveStatus};
use shared::criteria::EvidencePolicy;
use shared::error::FieldError;
use shared::workflow::CriteriaSetStatus;

/// Keys of the plain texts of the workflow pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WKey {
    NavAssessments,
    NavReview,
    NavDecisions,
    NavCriteriaSets,

    Period,
    NoPeriods,
    NoPeriodsHint,
    Status,
    Confirm,
    Remove,
    Code,
    BirthYear,
    TemplateBadge,
    TemplateNote,
    Downloading,

    CertificateNumber,
    DecisionNumber,
    DecisionDate,
    ValidUntil,

    AssessmentsTitle,
    AssessmentsIntro,
    RegisterTitle,
    RegisterSearchLabel,
    RegisterSearchHint,
    RegisterGroupLabel,
    RegisterGroupDefault,
    Register,
    Registering,
    RegisterNoMatch,
    RegisterTypeMore,
    RegisterViewerNote,
    OpenAssessment,
    AlreadyRegistered,
    RegistrationsTitle,
    RegistrationsEmpty,
    RegistrationsNoMatch,

    AssessmentTitle,
    BackToAssessments,
    ReviewingUnit,
    LastNote,
    ActionsTitle,
    NoActions,
    ReturnNoteLabel,
    ReturnNoteHint,
    ConfirmFail,
    ConfirmWithdraw,
    RevokeTitle,
    RevokeReason,
    RevokeReasonHint,
    Revoke,
    CriteriaInForce,
    CriteriaPinned,
    NoCriteriaInForce,
    StartHint,
    SelfFormTitle,
    ReviewFormTitle,
    RunningTotal,
    Verdict,
    Passed,
    NotPassed,
    SaveSelfScores,
    SaveReviewScores,
    ScoresSaved,
    ShowEvidence,
    EvidenceNote,
    EvidenceConfirmed,
    EvidenceRequired,
    NewSetCode,
    NewSetCodeHint,
    NewSetButton,
    NavPeriods,
    PeriodsTitle,
    PeriodsIntro,
    RegistrationWindow,
    SelfAssessmentWindow,
    ReviewWindow,
    RegistrationOpens,
    RegistrationCloses,
    SelfAssessmentOpens,
    SelfAssessmentCloses,
    ReviewOpens,
    ReviewCloses,
    ReviewerLevelLabel,
    RecogniserLevelLabel,
    ValidityMonths,
    PeriodName,
    PeriodYear,
    EditPeriod,
    SavePeriod,
    NewPeriodTitle,
    CreatePeriodButton,
    LevelBranch,
    LevelCommittee,
    LevelCommune,
    LevelProvince,
    EvidenceFilesTitle,
    EvidenceFilesHint,
    EvidenceIndicator,
    EvidenceFileLabel,
    EvidenceUpload,
    EvidenceUploading,
    EvidenceUploaded,
    EvidenceNoFiles,
    EvidenceChooseFile,
    EvidenceDownload,
    EvidenceDropHint,
    ReviewPrefillHint,
    EntryHint,
    HistoryTitle,
    HistoryEmpty,
    CertificateTitle,
    CertificatePdf,
    VerifyPage,
    RecognisedAt,
    RevokedAt,
    RevokeReasonShown,

    ReviewTitle,
    ReviewIntro,
    PendingAll,
    QueueEmpty,
    SelectAll,
    BulkPass,
    BulkNote,
    BulkResultsTitle,
    OutcomeDone,
    OutcomeRefused,
    NothingSelected,
    ReturnRow,
    SelfTotal,

    DecisionsTitle,
    DecisionsIntro,
    DecisionsEmpty,
    DecisionsTableTitle,
    NewDecisionTitle,
    DecisionNumberHint,
    DecisionDateLabel,
    Signer,
    SignerTitle,
    DefaultSignerTitle,
    DecisionTitleLabel,
    CreateDecision,
    DecisionDraft,
    DecisionIssued,
    OnlyRecognisers,
    BackToDecisions,
    IssuingUnit,
    IssuedAt,
    ListedTitle,
    ListedEmpty,
    CandidatesTitle,
    CandidatesEmpty,
    AddToDecision,
    RemoveFromDecision,
    IssueTitle,
    IssueDecision,
    IssueConfirm,
    IssueEmpty,
    DecisionPdf,

    CriteriaSetsTitle,
    CriteriaSetsIntro,
    CriteriaSetsEmpty,
    BackToCriteriaSets,
    SetTitle,
    PassRuleTitle,
    SetContents,
    MinTotal,
    MinPerIndicator,
    TotalMax,
    Competency,
    Criterion,
    Indicator,
    MaxPoints,
    EvidencePolicy,
    AddCompetency,
    AddCriterion,
    AddIndicator,
    SaveDraft,
    Publish,
    PublishConfirm,
    NewVersion,
    ReadOnlyPublished,
    PublishedAt,
    EditorHint,
    DraftSaved,
}

/// Every workflow text of one language.
pub trait WCatalogue: Sync {
    fn text(&self, key: WKey) -> &'static str;
    fn status(&self, status: AssessmentStatus) -> &'static str;
    fn effective_status(&self, status: EffectiveStatus) -> &'static str;
    /// Label of a step button or history entry (`submit`, `start_self_assessment`, …); `None`
    /// for one it does not know.
    fn action(&self, action: &str) -> Option<&'static str>;
    fn set_status(&self, status: CriteriaSetStatus) -> &'static str;
    fn evidence_policy(&self, policy: EvidencePolicy) -> &'static str;
    fn create_period(&self, year: i32) -> String;
    fn registered(&self, name: &str) -> String;
    fn registration_count(&self, count: u64) -> String;
    fn max_points(&self, points: u32) -> String;
    fn total_of(&self, total: u32, max: u32) -> String;
    fn missing_count(&self, count: usize) -> String;
    fn pass_rule(&self, min_total: u32, min_per_indicator: u32) -> String;
    fn failing(&self, codes: &str) -> String;
    fn self_score_was(&self, points: u32) -> String;
    fn status_now(&self, status: &str) -> String;
    fn select_person(&self, name: &str) -> String;
    fn selected_count(&self, count: usize) -> String;
    fn truncated(&self, shown: usize, total: u64) -> String;
    fn people_count(&self, count: usize) -> String;
    fn default_decision_title(&self, year: i32) -> String;
    fn decision_heading(&self, number: &str) -> String;
    fn confirm_issue(&self, count: usize) -> String;
    fn set_version(&self, version: i32) -> String;
    fn remove_row(&self, what: &str, code: &str) -> String;
    /// The catalogue's wording of a field error of the workflow API; `None` to leave it to the
    /// main catalogue.
    fn field(&self, error: &FieldError) -> Option<String>;
}

impl I18n {
    /// The workflow catalogue of the current language (tracked).
    pub fn wcat(&self) -> &'static dyn WCatalogue {
        match self.lang() {
            Lang::Vi => &Vi,
            Lang::En => &En,
        }
    }

    /// The workflow catalogue of the current language, not tracked: for the values a form
    /// starts with, which do not follow a later change of language.
    pub fn wcat_untracked(&self) -> &'static dyn WCatalogue {
        match self.lang.get_untracked() {
            Lang::Vi => &Vi,
            Lang::En => &En,
        }
    }

    /// A plain workflow text in the current language (tracked).
    pub fn w(&self, key: WKey) -> &'static str {
        self.wcat().text(key)
    }
}

/// The message for a field error: the workflow catalogue's, else the main catalogue's.
pub fn field_text(i18n: I18n, error: &FieldError) -> String {
    i18n.wcat()
        .field(error)
        .unwrap_or_else(|| super::field_message(i18n.cat(), error))
}

struct Vi;

impl WCatalogue for Vi {
    fn text(&self, key: WKey) -> &'static str {
        match key {
            WKey::NavAssessments => "Đăng ký, tự đánh giá",
            WKey::NavReview => "Thẩm định",
            WKey::NavDecisions => "Quyết định công nhận",
            WKey::NavCriteriaSets => "Bộ tiêu chí",

            WKey::Period => "Đợt đánh giá",
            WKey::NoPeriods => "Chưa có đợt đánh giá nào.",
            WKey::NoPeriodsHint => "Quản trị viên trung ương tạo đợt đánh giá của từng năm.",
            WKey::Status => "Trạng thái",
            WKey::Confirm => "Xác nhận",
            WKey::Remove => "Xóa",
            WKey::Code => "Mã",
            WKey::BirthYear => "Năm sinh",
            WKey::TemplateBadge => "Mẫu",
            WKey::TemplateNote => {
                "Đây là bộ tiêu chí mẫu, cần được thay bằng văn bản chính thức của Hội."
            }
            WKey::Downloading => "Đang tải tệp…",

            WKey::CertificateNumber => "Số giấy công nhận",
            WKey::DecisionNumber => "Số quyết định",
            WKey::DecisionDate => "Ngày quyết định",
            WKey::ValidUntil => "Có hiệu lực đến",

            WKey::AssessmentsTitle => "Đăng ký và tự đánh giá",
            WKey::AssessmentsIntro => {
                "Đăng ký người dân tham gia đợt đánh giá, rồi mở phiếu của từng người để nhập \
                 điểm tự đánh giá."
            }
            WKey::RegisterTitle => "Đăng ký người tham gia",
            WKey::RegisterSearchLabel => "Tìm người theo họ tên",
            WKey::RegisterSearchHint => "Gõ họ tên, có dấu hoặc không dấu đều được.",
            WKey::RegisterGroupLabel => "Nhóm đối tượng khi đăng ký",
            WKey::RegisterGroupDefault => "Theo hồ sơ của người đó",
            WKey::Register => "Đăng ký",
            WKey::Registering => "Đang đăng ký…",
            WKey::RegisterNoMatch => "Không tìm thấy ai có tên như vậy trong đơn vị của bạn.",
            WKey::RegisterTypeMore => "Gõ ít nhất 2 ký tự của họ tên.",
            WKey::RegisterViewerNote => "Vai trò của bạn chỉ được xem, không đăng ký được.",
            WKey::OpenAssessment => "Mở phiếu đánh giá",
            WKey::AlreadyRegistered => "Người này đã đăng ký trong đợt này.",
            WKey::RegistrationsTitle => "Danh sách đăng ký",
            WKey::RegistrationsEmpty => "Chưa có ai đăng ký trong đợt này.",
            WKey::RegistrationsNoMatch => "Không có đăng ký nào khớp bộ lọc.",

            WKey::AssessmentTitle => "Phiếu đánh giá Công dân học tập",
            WKey::BackToAssessments => "Danh sách đăng ký",
            WKey::ReviewingUnit => "Đơn vị thẩm định",
            WKey::LastNote => "Ghi chú gần nhất",
            WKey::ActionsTitle => "Thao tác",
            WKey::NoActions => "Phiếu ở trạng thái này không còn thao tác nào.",
            WKey::ReturnNoteLabel => "Lý do trả lại",
            WKey::ReturnNoteHint => "Bắt buộc: người điền phiếu sẽ đọc lý do này.",
            WKey::ConfirmFail => {
                "Xác nhận phiếu thẩm định không đạt? Việc này không hoàn tác được."
            }
            WKey::ConfirmWithdraw => "Xác nhận rút đăng ký? Việc này không hoàn tác được.",
            WKey::RevokeTitle => "Thu hồi công nhận",
            WKey::RevokeReason => "Lý do thu hồi",
            WKey::RevokeReasonHint => "Bắt buộc, từ 3 ký tự; được ghi vào lịch sử của phiếu.",
            WKey::Revoke => "Thu hồi công nhận",
            WKey::CriteriaInForce => "Bộ tiêu chí đang áp dụng",
            WKey::CriteriaPinned => "Bộ tiêu chí của phiếu",
            WKey::NoCriteriaInForce => {
                "Chưa có bộ tiêu chí nào được ban hành cho nhóm đối tượng này."
            }
            WKey::StartHint => {
                "Khi bắt đầu, phiếu được gắn với bộ tiêu chí đang áp dụng dưới đây và giữ \
                 nguyên bộ đó về sau."
            }
            WKey::SelfFormTitle => "Tự đánh giá",
            WKey::ReviewFormTitle => "Thẩm định",
            WKey::RunningTotal => "Tổng điểm",
            WKey::Verdict => "Kết quả",
            WKey::Passed => "Đạt",
            WKey::NotPassed => "Chưa đạt",
            WKey::SaveSelfScores => "Lưu điểm tự đánh giá",
            WKey::SaveReviewScores => "Lưu điểm thẩm định",
            WKey::ScoresSaved => "Đã lưu điểm.",
            WKey::ShowEvidence => "Nhập minh chứng cho từng chỉ số",
            WKey::EvidenceNote => "Minh chứng",
            WKey::EvidenceConfirmed => "Người thẩm định đã xem minh chứng",
            WKey::EvidenceRequired => "cần minh chứng",
            WKey::NewSetCode => "Mã bộ mới (để trống nếu chỉ tạo phiên bản mới)",
            WKey::NewSetCodeHint => "Chữ thường, chữ số và dấu -, ví dụ: tieu-chi-nong-dan-2026.",
            WKey::NewSetButton => "Tạo bộ tiêu chí mới từ bộ này",
            WKey::NavPeriods => "Đợt đánh giá",
            WKey::PeriodsTitle => "Đợt đánh giá",
            WKey::PeriodsIntro => {
                "Mỗi năm một đợt: ngày mở và đóng đăng ký, tự đánh giá và thẩm định; cấp thẩm định và cấp công nhận; thời hạn của danh hiệu."
            }
            WKey::RegistrationWindow => "Đăng ký",
            WKey::SelfAssessmentWindow => "Tự đánh giá",
            WKey::ReviewWindow => "Thẩm định",
            WKey::RegistrationOpens => "Mở đăng ký",
            WKey::RegistrationCloses => "Đóng đăng ký",
            WKey::SelfAssessmentOpens => "Mở tự đánh giá",
            WKey::SelfAssessmentCloses => "Đóng tự đánh giá",
            WKey::ReviewOpens => "Mở thẩm định",
            WKey::ReviewCloses => "Đóng thẩm định",
            WKey::ReviewerLevelLabel => "Cấp thẩm định",
            WKey::RecogniserLevelLabel => "Cấp công nhận",
            WKey::ValidityMonths => "Thời hạn danh hiệu (tháng)",
            WKey::PeriodName => "Tên đợt",
            WKey::PeriodYear => "Năm",
            WKey::EditPeriod => "Sửa đợt",
            WKey::SavePeriod => "Lưu đợt",
            WKey::NewPeriodTitle => "Mở đợt mới",
            WKey::CreatePeriodButton => "Mở đợt",
            WKey::LevelBranch => "Chi hội",
            WKey::LevelCommittee => "Ban đại diện",
            WKey::LevelCommune => "Hội cấp xã",
            WKey::LevelProvince => "Hội cấp tỉnh",
            WKey::EvidenceFilesTitle => "Tệp minh chứng",
            WKey::EvidenceFilesHint => {
                "Tệp PDF, JPEG, PNG hoặc WebP, tối đa 5 MB; thêm hoặc gỡ khi bản tự đánh giá còn là bản nháp hoặc đang thẩm định."
            }
            WKey::EvidenceIndicator => "Chỉ số",
            WKey::EvidenceFileLabel => "Tệp",
            WKey::EvidenceUpload => "Tải lên",
            WKey::EvidenceUploading => "Đang tải lên…",
            WKey::EvidenceUploaded => "Đã tải lên tệp minh chứng.",
            WKey::EvidenceNoFiles => "Chưa có tệp minh chứng nào.",
            WKey::EvidenceChooseFile => "Hãy chọn một tệp.",
            WKey::EvidenceDownload => "Tải về",
            WKey::EvidenceDropHint => "hoặc kéo thả tệp vào đây",
            WKey::ReviewPrefillHint => {
                "Các ô được điền sẵn điểm tự đánh giá; sửa nếu cần rồi bấm Lưu để ghi điểm \
                 thẩm định."
            }
            WKey::EntryHint => "Nhấn Tab để sang chỉ số tiếp theo, Enter để lưu.",
            WKey::HistoryTitle => "Lịch sử",
            WKey::HistoryEmpty => "Chưa có gì trong lịch sử.",
            WKey::CertificateTitle => "Giấy công nhận",
            WKey::CertificatePdf => "Tải giấy công nhận (PDF)",
            WKey::VerifyPage => "Trang tra cứu công khai",
            WKey::RecognisedAt => "Công nhận lúc",
            WKey::RevokedAt => "Thu hồi lúc",
            WKey::RevokeReasonShown => "Lý do thu hồi",

            WKey::ReviewTitle => "Thẩm định",
            WKey::ReviewIntro => {
                "Các phiếu đã nộp và đang thẩm định của đơn vị bạn. Chọn nhiều phiếu để thẩm \
                 định đạt một lần, hoặc trả lại từng phiếu kèm lý do."
            }
            WKey::PendingAll => "Chờ thẩm định (tất cả)",
            WKey::QueueEmpty => "Không có phiếu nào chờ thẩm định.",
            WKey::SelectAll => "Chọn tất cả",
            WKey::BulkPass => "Thẩm định đạt các phiếu đã chọn",
            WKey::BulkNote => "Ghi chú chung (không bắt buộc)",
            WKey::BulkResultsTitle => "Kết quả thẩm định",
            WKey::OutcomeDone => "Đã thẩm định đạt",
            WKey::OutcomeRefused => "Không thực hiện được",
            WKey::NothingSelected => "Hãy chọn ít nhất một phiếu.",
            WKey::ReturnRow => "Trả lại",
            WKey::SelfTotal => "Điểm tự đánh giá",

            WKey::DecisionsTitle => "Quyết định công nhận",
            WKey::DecisionsIntro => {
                "Soạn quyết định công nhận, đưa những người đã thẩm định đạt vào danh sách, ban \
                 hành rồi in giấy công nhận."
            }
            WKey::DecisionsEmpty => "Chưa có quyết định nào trong đợt này.",
            WKey::DecisionsTableTitle => "Các quyết định",
            WKey::NewDecisionTitle => "Soạn quyết định mới",
            WKey::DecisionNumberHint => "Ví dụ: 12/QĐ-KH",
            WKey::DecisionDateLabel => "Ngày ký",
            WKey::Signer => "Người ký",
            WKey::SignerTitle => "Chức vụ người ký",
            WKey::DefaultSignerTitle => "Chủ tịch",
            WKey::DecisionTitleLabel => "Trích yếu",
            WKey::CreateDecision => "Tạo dự thảo",
            WKey::DecisionDraft => "Dự thảo",
            WKey::DecisionIssued => "Đã ban hành",
            WKey::OnlyRecognisers => "Chỉ cán bộ Hội cấp xã trở lên soạn quyết định công nhận.",
            WKey::BackToDecisions => "Các quyết định công nhận",
            WKey::IssuingUnit => "Đơn vị ban hành",
            WKey::IssuedAt => "Ban hành lúc",
            WKey::ListedTitle => "Danh sách được công nhận",
            WKey::ListedEmpty => "Chưa có ai trong quyết định.",
            WKey::CandidatesTitle => "Đã thẩm định đạt, chưa có trong quyết định",
            WKey::CandidatesEmpty => "Không còn ai đã thẩm định đạt mà chưa có trong quyết định.",
            WKey::AddToDecision => "Thêm người đã chọn vào quyết định",
            WKey::RemoveFromDecision => "Bỏ người đã chọn khỏi quyết định",
            WKey::IssueTitle => "Ban hành",
            WKey::IssueDecision => "Ban hành quyết định",
            WKey::IssueConfirm => "Ban hành",
            WKey::IssueEmpty => "Quyết định cần có ít nhất một người mới ban hành được.",
            WKey::DecisionPdf => "In giấy công nhận (PDF)",

            WKey::CriteriaSetsTitle => "Bộ tiêu chí",
            WKey::CriteriaSetsIntro => {
                "Mỗi nhóm đối tượng có một bộ tiêu chí, được đánh số phiên bản. Bộ dự thảo sửa \
                 được; bộ đã ban hành giữ nguyên mãi."
            }
            WKey::CriteriaSetsEmpty => "Chưa có bộ tiêu chí nào.",
            WKey::BackToCriteriaSets => "Các bộ tiêu chí",
            WKey::SetTitle => "Tên bộ tiêu chí",
            WKey::PassRuleTitle => "Điều kiện đạt",
            WKey::SetContents => "Nội dung bộ tiêu chí",
            WKey::MinTotal => "Tổng điểm tối thiểu",
            WKey::MinPerIndicator => "Điểm tối thiểu của mỗi chỉ số",
            WKey::TotalMax => "Tổng điểm tối đa",
            WKey::Competency => "Năng lực",
            WKey::Criterion => "Tiêu chí",
            WKey::Indicator => "Chỉ số",
            WKey::MaxPoints => "Điểm tối đa",
            WKey::EvidencePolicy => "Minh chứng",
            WKey::AddCompetency => "Thêm năng lực",
            WKey::AddCriterion => "Thêm tiêu chí",
            WKey::AddIndicator => "Thêm chỉ số",
            WKey::SaveDraft => "Lưu dự thảo",
            WKey::Publish => "Ban hành bộ tiêu chí",
            WKey::PublishConfirm => {
                "Ban hành bộ tiêu chí này? Sau khi ban hành, bộ tiêu chí không sửa được nữa và \
                 được áp dụng cho các phiếu bắt đầu từ nay."
            }
            WKey::NewVersion => "Tạo phiên bản mới từ bộ này",
            WKey::ReadOnlyPublished => {
                "Bộ tiêu chí đã ban hành không sửa được. Muốn thay đổi, hãy tạo phiên bản mới."
            }
            WKey::PublishedAt => "Ban hành lúc",
            WKey::EditorHint => "Lưu dự thảo trước khi ban hành; chỉ bản đã lưu được ban hành.",
            WKey::DraftSaved => "Đã lưu dự thảo.",
        }
    }

    fn status(&self, status: AssessmentStatus) -> &'static str {
        self.effective_status(EffectiveStatus::from(status))
    }

    fn effective_status(&self, status: EffectiveStatus) -> &'static str {
        match status {
            EffectiveStatus::Registered => "Đã đăng ký",
            EffectiveStatus::Draft => "Đang tự đánh giá",
            EffectiveStatus::Submitted => "Đã nộp",
            EffectiveStatus::UnderReview => "Đang thẩm định",
            EffectiveStatus::ReviewPassed => "Thẩm định đạt",
            EffectiveStatus::ReviewFailed => "Thẩm định không đạt",
            EffectiveStatus::Recognised => "Đã công nhận",
            EffectiveStatus::NotRecognised => "Không công nhận",
            EffectiveStatus::Revoked => "Đã thu hồi",
            EffectiveStatus::Withdrawn => "Đã rút",
            EffectiveStatus::Expired => "Hết hiệu lực",
        }
    }

    fn action(&self, action: &str) -> Option<&'static str> {
        Some(match action {
            "register" => "Đăng ký",
            "start_self_assessment" => "Bắt đầu tự đánh giá",
            "submit" => "Nộp phiếu",
            "start_review" => "Bắt đầu thẩm định",
            "return" => "Trả lại để sửa",
            "pass" => "Thẩm định đạt",
            "fail" => "Thẩm định không đạt",
            "recognise" => "Công nhận",
            "not_recognise" => "Không công nhận",
            "revoke" => "Thu hồi công nhận",
            "withdraw" => "Rút đăng ký",
            _ => return None,
        })
    }

    fn set_status(&self, status: CriteriaSetStatus) -> &'static str {
        match status {
            CriteriaSetStatus::Draft => "Dự thảo",
            CriteriaSetStatus::Published => "Đã ban hành",
            CriteriaSetStatus::Retired => "Ngừng áp dụng",
        }
    }

    fn evidence_policy(&self, policy: EvidencePolicy) -> &'static str {
        match policy {
            EvidencePolicy::None => "Không cần",
            EvidencePolicy::Optional => "Không bắt buộc",
            EvidencePolicy::Required => "Bắt buộc",
        }
    }

    fn create_period(&self, year: i32) -> String {
        format!("Tạo đợt đánh giá năm {year}")
    }

    fn registered(&self, name: &str) -> String {
        format!("Đã đăng ký {name}.")
    }

    fn registration_count(&self, count: u64) -> String {
        format!("{count} người đăng ký")
    }

    fn max_points(&self, points: u32) -> String {
        format!("tối đa {points} điểm")
    }

    fn total_of(&self, total: u32, max: u32) -> String {
        format!("{total}/{max} điểm")
    }

    fn missing_count(&self, count: usize) -> String {
        format!("Còn {count} chỉ số chưa chấm.")
    }

    fn pass_rule(&self, min_total: u32, min_per_indicator: u32) -> String {
        format!(
            "Đạt khi tổng điểm từ {min_total} trở lên và không chỉ số nào dưới \
             {min_per_indicator} điểm."
        )
    }

    fn failing(&self, codes: &str) -> String {
        format!("Chỉ số dưới mức tối thiểu: {codes}.")
    }

    fn self_score_was(&self, points: u32) -> String {
        format!("Tự chấm: {points}")
    }

    fn status_now(&self, status: &str) -> String {
        format!("Đã cập nhật. Trạng thái: {status}.")
    }

    fn select_person(&self, name: &str) -> String {
        format!("Chọn {name}")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("Đã chọn {count} phiếu")
    }

    fn truncated(&self, shown: usize, total: u64) -> String {
        format!("Đang hiện {shown} trên {total} phiếu; thu hẹp bộ lọc để xem các phiếu còn lại.")
    }

    fn people_count(&self, count: usize) -> String {
        format!("{count} người")
    }

    fn default_decision_title(&self, year: i32) -> String {
        format!("Công nhận danh hiệu Công dân học tập năm {year}")
    }

    fn decision_heading(&self, number: &str) -> String {
        format!("Quyết định số {number}")
    }

    fn confirm_issue(&self, count: usize) -> String {
        format!(
            "Ban hành quyết định và công nhận {count} người? Sau khi ban hành, quyết định không \
             sửa được nữa."
        )
    }

    fn set_version(&self, version: i32) -> String {
        format!("phiên bản {version}")
    }

    fn remove_row(&self, what: &str, code: &str) -> String {
        format!("Xóa {} {code}", what.to_lowercase())
    }

    fn field(&self, error: &FieldError) -> Option<String> {
        Some(match error.code.as_str() {
            "missing" => "Chưa chấm chỉ số này.".to_string(),
            "above_max" => "Điểm cao hơn điểm tối đa của chỉ số.".to_string(),
            "unknown_indicator" => "Bộ tiêu chí không có chỉ số này.".to_string(),
            "not_a_number" => "Nhập một số nguyên, từ 0.".to_string(),
            "no_competencies" => "Bộ tiêu chí cần ít nhất một năng lực.".to_string(),
            "no_criteria" => "Năng lực cần ít nhất một tiêu chí.".to_string(),
            "no_indicators" => "Tiêu chí cần ít nhất một chỉ số.".to_string(),
            "code_required" => "Hãy nhập mã.".to_string(),
            "duplicate_code" => "Mã này đã dùng ở chỗ khác trong bộ tiêu chí.".to_string(),
            "name_required" => "Hãy nhập tên.".to_string(),
            "max_points_zero" => "Chỉ số phải có ít nhất 1 điểm.".to_string(),
            "pass_mark_unreachable" => {
                "Tổng điểm tối thiểu cao hơn tổng điểm tối đa của bộ tiêu chí.".to_string()
            }
            "indicator_below_minimum" => {
                "Điểm tối đa của chỉ số thấp hơn điểm tối thiểu mỗi chỉ số cần để đạt.".to_string()
            }
            "invalid_code" => {
                "Chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang.".to_string()
            }
            "unknown_period" => "Không có đợt đánh giá này.".to_string(),
            "no_criteria_set" => {
                "Nhóm đối tượng này chưa có bộ tiêu chí được ban hành.".to_string()
            }
            "other_branch" => "Cán bộ chi hội chỉ đăng ký cho chi hội của mình.".to_string(),
            "unknown_person" => "Không có người này trong đơn vị của bạn.".to_string(),
            "not_review_passed" => "Chỉ công nhận được người đã thẩm định đạt.".to_string(),
            "in_another_decision" => "Người này đã có trong một quyết định khác.".to_string(),
            "other_unit_or_period" => {
                "Phiếu thuộc đơn vị hoặc đợt khác với quyết định.".to_string()
            }
            "not_recogniser" => {
                "Đơn vị của bạn không phải đơn vị công nhận của đợt này.".to_string()
            }
            "required" if error.field == "target_group" => {
                "Người này chưa có nhóm đối tượng: hãy chọn một nhóm.".to_string()
            }
            "required" if error.field == "note" => "Hãy ghi lý do trả lại phiếu.".to_string(),
            _ => match error.message.as_str() {
                "must be 1 to 64 characters" => "Từ 1 đến 64 ký tự.".to_string(),
                "must be 2 to 64 characters" => "Từ 2 đến 64 ký tự.".to_string(),
                "must be 2 to 500 characters" => "Từ 2 đến 500 ký tự.".to_string(),
                "give the reason (3 to 2000 characters)" => {
                    "Hãy ghi lý do (từ 3 đến 2000 ký tự).".to_string()
                }
                _ => return None,
            },
        })
    }
}

struct En;

impl WCatalogue for En {
    fn text(&self, key: WKey) -> &'static str {
        match key {
            WKey::NavAssessments => "Registration",
            WKey::NavReview => "Review",
            WKey::NavDecisions => "Recognition decisions",
            WKey::NavCriteriaSets => "Criteria sets",

            WKey::Period => "Assessment period",
            WKey::NoPeriods => "There is no assessment period yet.",
            WKey::NoPeriodsHint => "The central administrator creates the period of each year.",
            WKey::Status => "Status",
            WKey::Confirm => "Confirm",
            WKey::Remove => "Remove",
            WKey::Code => "Code",
            WKey::BirthYear => "Year of birth",
            WKey::TemplateBadge => "Template",
            WKey::TemplateNote => {
                "This is a template criteria set, to be replaced by the Association's official \
                 text."
            }
            WKey::Downloading => "Downloading…",

            WKey::CertificateNumber => "Certificate number",
            WKey::DecisionNumber => "Decision number",
            WKey::DecisionDate => "Decision date",
            WKey::ValidUntil => "Valid until",

            WKey::AssessmentsTitle => "Registration and self-assessment",
            WKey::AssessmentsIntro => {
                "Register people for the assessment period, then open each person's form to \
                 enter their self-assessment."
            }
            WKey::RegisterTitle => "Register a participant",
            WKey::RegisterSearchLabel => "Find a person by name",
            WKey::RegisterSearchHint => "Type the name, with or without diacritics.",
            WKey::RegisterGroupLabel => "Target group to register in",
            WKey::RegisterGroupDefault => "The one on the person's record",
            WKey::Register => "Register",
            WKey::Registering => "Registering…",
            WKey::RegisterNoMatch => "Nobody of that name in your unit.",
            WKey::RegisterTypeMore => "Type at least 2 characters of the name.",
            WKey::RegisterViewerNote => "Your role can read only; it cannot register people.",
            WKey::OpenAssessment => "Open the assessment",
            WKey::AlreadyRegistered => "This person is already registered in this period.",
            WKey::RegistrationsTitle => "Registrations",
            WKey::RegistrationsEmpty => "Nobody is registered in this period yet.",
            WKey::RegistrationsNoMatch => "No registration matches the filters.",

            WKey::AssessmentTitle => "Learning Citizen assessment",
            WKey::BackToAssessments => "Registrations",
            WKey::ReviewingUnit => "Reviewing unit",
            WKey::LastNote => "Latest note",
            WKey::ActionsTitle => "Actions",
            WKey::NoActions => "No action is left in this status.",
            WKey::ReturnNoteLabel => "Why it goes back",
            WKey::ReturnNoteHint => "Required: the person filling in the form will read it.",
            WKey::ConfirmFail => "Fail this assessment at review? This cannot be undone.",
            WKey::ConfirmWithdraw => "Withdraw this registration? This cannot be undone.",
            WKey::RevokeTitle => "Revoke the recognition",
            WKey::RevokeReason => "Reason for revoking",
            WKey::RevokeReasonHint => "Required, at least 3 characters; it is kept in the history.",
            WKey::Revoke => "Revoke the recognition",
            WKey::CriteriaInForce => "Criteria set in force",
            WKey::CriteriaPinned => "The assessment's criteria set",
            WKey::NoCriteriaInForce => "No criteria set has been published for this target group.",
            WKey::StartHint => {
                "On starting, the assessment is tied to the criteria set in force below and \
                 keeps it."
            }
            WKey::SelfFormTitle => "Self-assessment",
            WKey::ReviewFormTitle => "Review",
            WKey::RunningTotal => "Total",
            WKey::Verdict => "Result",
            WKey::Passed => "Pass",
            WKey::NotPassed => "Not passed",
            WKey::SaveSelfScores => "Save the self-assessment",
            WKey::SaveReviewScores => "Save the review scores",
            WKey::ScoresSaved => "Scores saved.",
            WKey::ShowEvidence => "Enter evidence per indicator",
            WKey::EvidenceNote => "Evidence",
            WKey::EvidenceConfirmed => "The reviewer has seen the evidence",
            WKey::EvidenceRequired => "evidence needed",
            WKey::NewSetCode => "New family code (leave empty for a new version)",
            WKey::NewSetCodeHint => "Lowercase letters, digits and -, e.g. farmer-criteria-2026.",
            WKey::NewSetButton => "Create a new criteria set from this one",
            WKey::NavPeriods => "Periods",
            WKey::PeriodsTitle => "Assessment periods",
            WKey::PeriodsIntro => {
                "One period a year: the dates that open and close registration, self-assessment and review; who reviews and who recognises; how long the title is valid."
            }
            WKey::RegistrationWindow => "Registration",
            WKey::SelfAssessmentWindow => "Self-assessment",
            WKey::ReviewWindow => "Review",
            WKey::RegistrationOpens => "Registration opens",
            WKey::RegistrationCloses => "Registration closes",
            WKey::SelfAssessmentOpens => "Self-assessment opens",
            WKey::SelfAssessmentCloses => "Self-assessment closes",
            WKey::ReviewOpens => "Review opens",
            WKey::ReviewCloses => "Review closes",
            WKey::ReviewerLevelLabel => "Who reviews",
            WKey::RecogniserLevelLabel => "Who recognises",
            WKey::ValidityMonths => "Validity of the title (months)",
            WKey::PeriodName => "Name of the period",
            WKey::PeriodYear => "Year",
            WKey::EditPeriod => "Edit the period",
            WKey::SavePeriod => "Save the period",
            WKey::NewPeriodTitle => "Open a new period",
            WKey::CreatePeriodButton => "Open the period",
            WKey::LevelBranch => "Branch",
            WKey::LevelCommittee => "Committee",
            WKey::LevelCommune => "Commune Association",
            WKey::LevelProvince => "Province Association",
            WKey::EvidenceFilesTitle => "Evidence files",
            WKey::EvidenceFilesHint => {
                "PDF, JPEG, PNG or WebP files of at most 5 MB; added or removed while the self-assessment is a draft or under review."
            }
            WKey::EvidenceIndicator => "Indicator",
            WKey::EvidenceFileLabel => "File",
            WKey::EvidenceUpload => "Upload",
            WKey::EvidenceUploading => "Uploading…",
            WKey::EvidenceUploaded => "The evidence file is uploaded.",
            WKey::EvidenceNoFiles => "No evidence file yet.",
            WKey::EvidenceChooseFile => "Choose a file.",
            WKey::EvidenceDownload => "Download",
            WKey::EvidenceDropHint => "or drop a file here",
            WKey::ReviewPrefillHint => {
                "The fields start with the self-assessment scores; change them as needed, then \
                 save to record the review scores."
            }
            WKey::EntryHint => "Press Tab for the next indicator, Enter to save.",
            WKey::HistoryTitle => "History",
            WKey::HistoryEmpty => "Nothing in the history yet.",
            WKey::CertificateTitle => "Certificate",
            WKey::CertificatePdf => "Download the certificate (PDF)",
            WKey::VerifyPage => "Public check page",
            WKey::RecognisedAt => "Recognised at",
            WKey::RevokedAt => "Revoked at",
            WKey::RevokeReasonShown => "Reason for revoking",

            WKey::ReviewTitle => "Review",
            WKey::ReviewIntro => {
                "Submitted assessments and those under review in your unit. Select several to \
                 pass them at once, or return one with a note."
            }
            WKey::PendingAll => "Awaiting review (all)",
            WKey::QueueEmpty => "No assessment awaits review.",
            WKey::SelectAll => "Select all",
            WKey::BulkPass => "Pass the selected assessments",
            WKey::BulkNote => "Note for all (optional)",
            WKey::BulkResultsTitle => "Review outcome",
            WKey::OutcomeDone => "Passed at review",
            WKey::OutcomeRefused => "Not done",
            WKey::NothingSelected => "Select at least one assessment.",
            WKey::ReturnRow => "Return",
            WKey::SelfTotal => "Self-assessment",

            WKey::DecisionsTitle => "Recognition decisions",
            WKey::DecisionsIntro => {
                "Draft a recognition decision, list the people who passed review, issue it, then \
                 print the certificates."
            }
            WKey::DecisionsEmpty => "No decision in this period yet.",
            WKey::DecisionsTableTitle => "Decisions",
            WKey::NewDecisionTitle => "Draft a new decision",
            WKey::DecisionNumberHint => "For example: 12/QĐ-KH",
            WKey::DecisionDateLabel => "Date signed",
            WKey::Signer => "Signed by",
            WKey::SignerTitle => "Signer's title",
            WKey::DefaultSignerTitle => "Chủ tịch",
            WKey::DecisionTitleLabel => "Title",
            WKey::CreateDecision => "Create the draft",
            WKey::DecisionDraft => "Draft",
            WKey::DecisionIssued => "Issued",
            WKey::OnlyRecognisers => {
                "Only officers of a commune Association or above draft recognition decisions."
            }
            WKey::BackToDecisions => "Recognition decisions",
            WKey::IssuingUnit => "Issued by",
            WKey::IssuedAt => "Issued at",
            WKey::ListedTitle => "People recognised",
            WKey::ListedEmpty => "Nobody is listed in the decision yet.",
            WKey::CandidatesTitle => "Passed review, not in the decision",
            WKey::CandidatesEmpty => "Everyone who passed review is listed already.",
            WKey::AddToDecision => "Add the selected people to the decision",
            WKey::RemoveFromDecision => "Remove the selected people from the decision",
            WKey::IssueTitle => "Issue",
            WKey::IssueDecision => "Issue the decision",
            WKey::IssueConfirm => "Issue",
            WKey::IssueEmpty => "A decision needs at least one person to be issued.",
            WKey::DecisionPdf => "Print the certificates (PDF)",

            WKey::CriteriaSetsTitle => "Criteria sets",
            WKey::CriteriaSetsIntro => {
                "Each target group has a criteria set, numbered by version. A draft can be \
                 edited; a published set never changes."
            }
            WKey::CriteriaSetsEmpty => "There is no criteria set yet.",
            WKey::BackToCriteriaSets => "Criteria sets",
            WKey::SetTitle => "Title of the set",
            WKey::PassRuleTitle => "Pass rule",
            WKey::SetContents => "Contents of the set",
            WKey::MinTotal => "Minimum total",
            WKey::MinPerIndicator => "Minimum per indicator",
            WKey::TotalMax => "Maximum total",
            WKey::Competency => "Competency",
            WKey::Criterion => "Criterion",
            WKey::Indicator => "Indicator",
            WKey::MaxPoints => "Maximum points",
            WKey::EvidencePolicy => "Evidence",
            WKey::AddCompetency => "Add a competency",
            WKey::AddCriterion => "Add a criterion",
            WKey::AddIndicator => "Add an indicator",
            WKey::SaveDraft => "Save the draft",
            WKey::Publish => "Publish the criteria set",
            WKey::PublishConfirm => {
                "Publish this criteria set? Once published it can no longer be changed, and \
                 assessments starting from now use it."
            }
            WKey::NewVersion => "Create a new version from this set",
            WKey::ReadOnlyPublished => {
                "A published criteria set cannot be changed. To change it, create a new version."
            }
            WKey::PublishedAt => "Published at",
            WKey::EditorHint => {
                "Save the draft before publishing; only what is saved is published."
            }
            WKey::DraftSaved => "Draft saved.",
        }
    }

    fn status(&self, status: AssessmentStatus) -> &'static str {
        self.effective_status(EffectiveStatus::from(status))
    }

    fn effective_status(&self, status: EffectiveStatus) -> &'static str {
        match status {
            EffectiveStatus::Registered => "Registered",
            EffectiveStatus::Draft => "Self-assessing",
            EffectiveStatus::Submitted => "Submitted",
            EffectiveStatus::UnderReview => "Under review",
            EffectiveStatus::ReviewPassed => "Passed review",
            EffectiveStatus::ReviewFailed => "Failed review",
            EffectiveStatus::Recognised => "Recognised",
            EffectiveStatus::NotRecognised => "Not recognised",
            EffectiveStatus::Revoked => "Revoked",
            EffectiveStatus::Withdrawn => "Withdrawn",
            EffectiveStatus::Expired => "Expired",
        }
    }

    fn action(&self, action: &str) -> Option<&'static str> {
        Some(match action {
            "register" => "Registered",
            "start_self_assessment" => "Start the self-assessment",
            "submit" => "Submit",
            "start_review" => "Start the review",
            "return" => "Return for changes",
            "pass" => "Pass at review",
            "fail" => "Fail at review",
            "recognise" => "Recognise",
            "not_recognise" => "Do not recognise",
            "revoke" => "Revoke the recognition",
            "withdraw" => "Withdraw",
            _ => return None,
        })
    }

    fn set_status(&self, status: CriteriaSetStatus) -> &'static str {
        match status {
            CriteriaSetStatus::Draft => "Draft",
            CriteriaSetStatus::Published => "Published",
            CriteriaSetStatus::Retired => "Retired",
        }
    }

    fn evidence_policy(&self, policy: EvidencePolicy) -> &'static str {
        match policy {
            EvidencePolicy::None => "Not asked for",
            EvidencePolicy::Optional => "Optional",
            EvidencePolicy::Required => "Required",
        }
    }

    fn create_period(&self, year: i32) -> String {
        format!("Create the {year} assessment period")
    }

    fn registered(&self, name: &str) -> String {
        format!("{name} is registered.")
    }

    fn registration_count(&self, count: u64) -> String {
        match count {
            1 => "1 registration".to_string(),
            n => format!("{n} registrations"),
        }
    }

    fn max_points(&self, points: u32) -> String {
        format!("up to {points} points")
    }

    fn total_of(&self, total: u32, max: u32) -> String {
        format!("{total}/{max} points")
    }

    fn missing_count(&self, count: usize) -> String {
        match count {
            1 => "1 indicator has no score yet.".to_string(),
            n => format!("{n} indicators have no score yet."),
        }
    }

    fn pass_rule(&self, min_total: u32, min_per_indicator: u32) -> String {
        format!(
            "Passed with a total of {min_total} or more and no indicator below \
             {min_per_indicator} points."
        )
    }

    fn failing(&self, codes: &str) -> String {
        format!("Indicators below the minimum: {codes}.")
    }

    fn self_score_was(&self, points: u32) -> String {
        format!("Self: {points}")
    }

    fn status_now(&self, status: &str) -> String {
        format!("Updated. Status: {status}.")
    }

    fn select_person(&self, name: &str) -> String {
        format!("Select {name}")
    }

    fn selected_count(&self, count: usize) -> String {
        format!("{count} selected")
    }

    fn truncated(&self, shown: usize, total: u64) -> String {
        format!("Showing {shown} of {total}; narrow the filters to see the others.")
    }

    fn people_count(&self, count: usize) -> String {
        match count {
            1 => "1 person".to_string(),
            n => format!("{n} people"),
        }
    }

    fn default_decision_title(&self, year: i32) -> String {
        format!("Công nhận danh hiệu Công dân học tập năm {year}")
    }

    fn decision_heading(&self, number: &str) -> String {
        format!("Decision {number}")
    }

    fn confirm_issue(&self, count: usize) -> String {
        format!(
            "Issue the decision and recognise {}? Once issued, the decision can no longer be \
             changed.",
            self.people_count(count)
        )
    }

    fn set_version(&self, version: i32) -> String {
        format!("version {version}")
    }

    fn remove_row(&self, what: &str, code: &str) -> String {
        format!("Remove {} {code}", what.to_lowercase())
    }

    fn field(&self, error: &FieldError) -> Option<String> {
        Some(match error.code.as_str() {
            "missing" => "This indicator has no score.".to_string(),
            "above_max" => "The score is above the indicator's maximum.".to_string(),
            "unknown_indicator" => "The criteria set has no such indicator.".to_string(),
            "not_a_number" => "Enter a whole number, 0 or more.".to_string(),
            "no_competencies" => "A criteria set needs at least one competency.".to_string(),
            "no_criteria" => "A competency needs at least one criterion.".to_string(),
            "no_indicators" => "A criterion needs at least one indicator.".to_string(),
            "code_required" => "Enter a code.".to_string(),
            "duplicate_code" => "This code is used elsewhere in the set.".to_string(),
            "name_required" => "Enter a name.".to_string(),
            "max_points_zero" => "An indicator is worth at least 1 point.".to_string(),
            "pass_mark_unreachable" => {
                "The minimum total is above what the set can give.".to_string()
            }
            "indicator_below_minimum" => {
                "The indicator is worth less than the minimum every indicator needs.".to_string()
            }
            "invalid_code" => "Use lowercase letters, digits and '-' only.".to_string(),
            "unknown_period" => "There is no such period.".to_string(),
            "no_criteria_set" => "No criteria set is published for this target group.".to_string(),
            "other_branch" => "A branch officer registers people for their own branch.".to_string(),
            "unknown_person" => "This person is not in your unit.".to_string(),
            "not_review_passed" => "Only people who passed review can be recognised.".to_string(),
            "in_another_decision" => "This person is listed in another decision.".to_string(),
            "other_unit_or_period" => {
                "The assessment belongs to another unit or period than the decision.".to_string()
            }
            "not_recogniser" => "Your unit does not recognise in this period.".to_string(),
            "required" if error.field == "target_group" => {
                "The person has no target group: choose one.".to_string()
            }
            "required" if error.field == "note" => "Say why the assessment goes back.".to_string(),
            _ => match error.message.as_str() {
                "must be 1 to 64 characters" => "1 to 64 characters.".to_string(),
                "must be 2 to 64 characters" => "2 to 64 characters.".to_string(),
                "must be 2 to 500 characters" => "2 to 500 characters.".to_string(),
                "give the reason (3 to 2000 characters)" => {
                    "Give the reason (3 to 2000 characters).".to_string()
                }
                _ => return None,
            },
        })
    }
}

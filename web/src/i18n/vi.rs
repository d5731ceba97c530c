//! Vietnamese texts (the default language), in Unicode NFC.

use super::{Catalogue, Key};
use shared::auth::Role;
use shared::registry::{AssociationLevel, UnitStatus};

pub(super) struct Vi;

impl Catalogue for Vi {
    fn text(&self, key: Key) -> &'static str {
        match key {
            Key::AppName => "Công dân học tập",
            Key::AppTagline => "Hội Khuyến học Việt Nam",
            Key::SkipToContent => "Bỏ qua, đến nội dung chính",
            Key::MainNavigation => "Điều hướng chính",
            Key::NavHome => "Trang chủ",
            Key::NavUnits => "Đơn vị hành chính",
            Key::NavLegacy => "Tra cứu mã xã cũ",
            Key::NavAssociationUnits => "Tổ chức Hội",
            Key::NavVillages => "Thôn, tổ dân phố",
            Key::LangToggle => "English",
            Key::LangToggleLabel => "Chuyển sang tiếng Anh",
            Key::SignIn => "Đăng nhập",
            Key::SignOut => "Đăng xuất",
            Key::SignedInAs => "Đang đăng nhập",
            Key::Loading => "Đang tải…",
            Key::Footer => "Hội Khuyến học Việt Nam — Chương trình Công dân học tập",

            Key::LoginTitle => "Đăng nhập",
            Key::LoginIntro => "Dành cho cán bộ Hội Khuyến học các cấp.",
            Key::Username => "Tên đăng nhập",
            Key::Password => "Mật khẩu",
            Key::LoginSubmit => "Đăng nhập",
            Key::LoggingIn => "Đang đăng nhập…",
            Key::SessionExpiredNotice => "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",

            Key::ErrNetwork => "Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.",
            Key::ErrDecode => "Máy chủ trả về dữ liệu không đọc được.",
            Key::ErrSessionExpired => "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
            Key::ErrInvalidCredentials => "Tên đăng nhập hoặc mật khẩu không đúng.",
            Key::ErrUnauthorized => "Bạn cần đăng nhập để xem nội dung này.",
            Key::ErrForbidden => "Bạn không có quyền truy cập nội dung này.",
            Key::ErrNotFound => "Không tìm thấy.",
            Key::ErrConflict => "Dữ liệu đã bị thay đổi hoặc đã tồn tại.",
            Key::ErrBadRequest => "Yêu cầu không hợp lệ.",
            Key::ErrValidation => "Một số trường chưa hợp lệ.",
            Key::ErrPayloadTooLarge => "Dữ liệu gửi lên quá lớn.",
            Key::ErrInternal => "Máy chủ gặp lỗi nội bộ.",
            Key::ErrUnavailable => "Dịch vụ tạm thời không sẵn sàng. Vui lòng thử lại sau.",
            Key::ErrUnknown => "Đã xảy ra lỗi.",
            Key::ErrTooManyRequests => "Quá nhiều lần thử. Vui lòng thử lại sau ít phút.",
            Key::RequestId => "Mã yêu cầu",
            Key::FieldRequired => "Không được để trống.",
            Key::FieldPasswordTooShort => "Phải có ít nhất 10 ký tự.",
            Key::FieldPasswordTooLong => "Không được dài quá 128 ký tự.",
            Key::FieldPasswordTooWeak => "Không được chỉ lặp lại một ký tự.",
            Key::FieldInvalidUsername => {
                "Từ 3 đến 64 ký tự: chữ thường không dấu, chữ số, “.”, “_” hoặc “-”."
            }
            Key::FieldInvalidRole => "Vai trò không hợp lệ.",
            Key::FieldInvalidUnit => "Phải là “VN”, mã tỉnh 2 chữ số hoặc mã xã 5 chữ số.",
            Key::FieldTooLong200 => "Không được dài quá 200 ký tự.",
            Key::FieldLength2To300 => "Phải có từ 2 đến 300 ký tự.",
            Key::FieldLength1To200 => "Phải có từ 1 đến 200 ký tự.",
            Key::FieldEmail => "Địa chỉ thư điện tử không hợp lệ.",
            Key::FieldPhone => {
                "Số điện thoại không hợp lệ: di động (0912 345 678) hoặc cố định (024 3825 3536)."
            }
            Key::FieldInvalidKind => "Loại không hợp lệ.",
            Key::FieldOtherCommune => "Thôn, tổ dân phố phải thuộc cùng xã, phường.",
            Key::FieldOtherProvince => "Chỉ chuyển được sang xã, phường cùng tỉnh, thành phố.",
            Key::FieldInvalidParent => {
                "Chỉ thêm được dưới Hội cấp xã, chi hội hoặc ban khuyến học đang hoạt động."
            }
            Key::FieldNotACommune => "Phải là một xã, phường, đặc khu hiện hành.",
            Key::FieldUnknownVillage => "Không tìm thấy thôn, tổ dân phố này trong đơn vị của bạn.",
            Key::FieldInactiveVillage => "Thôn, tổ dân phố này đã ngừng sử dụng.",

            Key::HomeTitle => "Trang chủ",
            Key::YourUnit => "Đơn vị của bạn",
            Key::YourRole => "Vai trò",
            Key::SectionsTitle => "Chức năng",
            Key::SectionUnitsText => {
                "Danh mục 34 tỉnh, thành phố và các xã, phường, đặc khu hiện hành."
            }
            Key::SectionLegacyText => {
                "Tìm xã, phường mới từ mã hoặc tên xã cũ trước ngày 01/7/2025."
            }

            Key::UnitsTitle => "Đơn vị hành chính",
            Key::UnitsIntro => "Danh mục đơn vị hành chính hai cấp áp dụng từ ngày 01/7/2025.",
            Key::SearchTitle => "Tìm kiếm",
            Key::SearchLabel => "Tìm tỉnh, xã, phường theo tên hoặc mã",
            Key::SearchHint => "Có thể gõ không dấu, ví dụ: ba dinh.",
            Key::SearchNoResults => "Không có kết quả phù hợp.",
            Key::ProvincesTitle => "Tỉnh, thành phố",

            Key::UnitCode => "Mã",
            Key::UnitType => "Loại",
            Key::UnitLevel => "Cấp",
            Key::UnitParent => "Trực thuộc",
            Key::UnitProvince => "Tỉnh, thành phố",
            Key::UnitChildren => "Số đơn vị trực thuộc",
            Key::LevelProvince => "Cấp tỉnh",
            Key::LevelDistrict => "Cấp huyện",
            Key::LevelCommune => "Cấp xã",
            Key::CommunesTitle => "Xã, phường, đặc khu",
            Key::CommuneFilterLabel => "Lọc theo tên hoặc mã",
            Key::CommuneFilterHint => "Có thể gõ không dấu.",
            Key::CommuneFilterEmpty => "Không có xã, phường nào khớp với bộ lọc.",
            Key::BackToProvinces => "Danh sách tỉnh, thành phố",

            Key::LegacyTitle => "Tra cứu mã xã cũ",
            Key::LegacyIntro => {
                "Nhập mã xã, phường, thị trấn cũ (trước ngày 01/7/2025) để biết nay thuộc xã, phường nào."
            }
            Key::LegacyCodeLabel => "Mã xã cũ (5 chữ số)",
            Key::LegacyCodeHint => "Ví dụ: 00007.",
            Key::LegacySubmit => "Tra cứu",
            Key::LegacyCodeInvalid => "Mã xã cũ gồm đúng 5 chữ số.",
            Key::LegacyCommuneTitle => "Xã cũ",
            Key::LegacyPartlyMerged => {
                "Xã này đã bị chia tách: mỗi hồ sơ cần cán bộ chọn xã, phường mới phù hợp trong danh sách dưới đây."
            }
            Key::SuccessorsTitle => "Nay thuộc",
            Key::NoSuccessors => "Chưa có thông tin xã, phường mới tương ứng.",
            Key::PartOnly => "một phần",
            Key::LegacySearchTitle => "Tìm theo tên xã cũ",
            Key::LegacySearchLabel => "Tên xã, phường, thị trấn cũ",
            Key::LegacySearchHint => "Có thể gõ không dấu, ví dụ: phuc xa.",

            Key::FilterByName => "Lọc theo tên",
            Key::LoadMore => "Xem thêm",
            Key::PrevPage => "Trang trước",
            Key::NextPage => "Trang sau",
            Key::Save => "Lưu",
            Key::Saving => "Đang lưu…",
            Key::Saved => "Đã lưu.",
            Key::Cancel => "Hủy",
            Key::Edit => "Sửa",
            Key::NotSet => "Chưa có",
            Key::AllOption => "— Tất cả —",

            Key::AssocTitle => "Tổ chức Hội",
            Key::AssocIntro => {
                "Hệ thống tổ chức Hội Khuyến học trong đơn vị của bạn: Hội các cấp, chi hội và ban khuyến học."
            }
            Key::AssocChildrenTitle => "Đơn vị trực thuộc",
            Key::AssocNoChildren => "Chưa có đơn vị trực thuộc.",
            Key::AssocNoMatch => "Không có đơn vị nào khớp với bộ lọc.",
            Key::BackToTree => "Cây tổ chức Hội",
            Key::AuChairperson => "Chủ tịch",
            Key::AuPhone => "Điện thoại",
            Key::AuPhoneHint => "Ví dụ: 0912 345 678 hoặc 024 3825 3536.",
            Key::AuEmail => "Thư điện tử",
            Key::AuMembers => "Số hội viên",
            Key::AuStatus => "Trạng thái",
            Key::AuCommitteeKind => "Loại ban khuyến học",
            Key::AuVillage => "Thôn, tổ dân phố",
            Key::AuEditTitle => "Sửa thông tin",
            Key::AuName => "Tên đơn vị",
            Key::AuDissolveTitle => "Giải thể đơn vị",
            Key::AuDissolveText => {
                "Đơn vị đã giải thể không còn hiện trong cây tổ chức. Cần chuyển hết hội viên và đơn vị trực thuộc sang đơn vị khác trước."
            }
            Key::AuDissolve => "Giải thể…",
            Key::AuDissolveConfirm => "Xác nhận giải thể",
            Key::AuDissolveBlocked => {
                "Đơn vị còn đơn vị trực thuộc hoặc hội viên đang hoạt động: cần chuyển sang đơn vị khác trước khi giải thể."
            }
            Key::AuRestore => "Khôi phục hoạt động",
            Key::AuRestoreText => {
                "Đơn vị này không còn hoạt động. Có thể khôi phục nếu giải thể nhầm."
            }
            Key::NewSubUnitTitle => "Thêm chi hội hoặc ban khuyến học",
            Key::NewSubUnitLevel => "Loại đơn vị",
            Key::NewSubUnitNameHint => "Ví dụ: Chi hội Khuyến học thôn Đông.",
            Key::NoneChosen => "— Không chọn —",
            Key::NoVillagesYet => "Xã, phường chưa có thôn, tổ dân phố nào trong danh mục.",
            Key::NewSubUnitSubmit => "Thêm đơn vị",
            Key::Adding => "Đang thêm…",

            Key::VillagesTitle => "Thôn, tổ dân phố",
            Key::VillagesIntro => {
                "Danh mục thôn, bản, ấp, tổ dân phố… của xã, phường: dùng khi lập chi hội và ghi nơi ở của hội viên."
            }
            Key::VillagesListTitle => "Danh sách",
            Key::NewVillageTitle => "Thêm thôn, tổ dân phố",
            Key::VillageName => "Tên",
            Key::VillageNameHint => "Nhấn Enter để lưu rồi nhập tiếp tên khác.",
            Key::VillageKind => "Loại",
            Key::VillageSubmit => "Lưu và thêm tiếp",
            Key::VillageChooseCommune => "Chọn xã, phường để thêm thôn, tổ dân phố.",
            Key::ShowInactive => "Hiện cả thôn, tổ dân phố đã ngừng sử dụng",
            Key::VillagesEmpty => "Chưa có thôn, tổ dân phố nào.",
            Key::VillagesNoMatch => "Không có thôn, tổ dân phố nào khớp với bộ lọc.",
            Key::VillageInactive => "ngừng sử dụng",
            Key::Deactivate => "Ngừng sử dụng",
            Key::Reactivate => "Dùng lại",

            Key::NotFoundTitle => "Không tìm thấy trang",
            Key::NotFoundText => "Địa chỉ này không tồn tại.",
            Key::BackHome => "Về trang chủ",
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::CentralAdmin => "Quản trị Trung ương",
            Role::ProvinceOfficer => "Cán bộ cấp tỉnh",
            Role::CommuneOfficer => "Cán bộ cấp xã",
            Role::BranchOfficer => "Cán bộ chi hội",
            Role::Viewer => "Người xem",
        }
    }

    fn welcome(&self, name: &str) -> String {
        format!("Xin chào, {name}!")
    }

    fn results_count(&self, count: usize) -> String {
        format!("{count} kết quả")
    }

    fn filter_count(&self, shown: usize, total: usize) -> String {
        format!("Hiển thị {shown} / {total} đơn vị")
    }

    fn retry_after(&self, seconds: u64) -> String {
        format!("Quá nhiều lần thử. Vui lòng thử lại sau {seconds} giây.")
    }

    fn http_status(&self, status: u16) -> String {
        format!("Máy chủ trả lời với mã lỗi {status}.")
    }

    fn legacy_code_unknown(&self, code: &str) -> String {
        format!("Danh mục xã cũ không có mã {code}.")
    }

    fn association_level(&self, level: AssociationLevel) -> &'static str {
        match level {
            AssociationLevel::Central => "Trung ương Hội",
            AssociationLevel::Province => "Hội cấp tỉnh",
            AssociationLevel::Commune => "Hội cấp xã",
            AssociationLevel::Branch => "Chi hội",
            AssociationLevel::Committee => "Ban khuyến học",
        }
    }

    fn unit_status(&self, status: UnitStatus) -> &'static str {
        match status {
            UnitStatus::Active => "Đang hoạt động",
            UnitStatus::Merged => "Đã sáp nhập",
            UnitStatus::Dissolved => "Đã giải thể",
        }
    }

    fn committee_kind(&self, kind: &str) -> Option<&'static str> {
        Some(match kind {
            "agency" => "Cơ quan",
            "school" => "Trường học",
            "enterprise" => "Doanh nghiệp",
            "clan" => "Dòng họ",
            "other" => "Khác",
            _ => return None,
        })
    }

    fn village_kind(&self, kind: &str) -> Option<&'static str> {
        Some(match kind {
            "thon" => "Thôn",
            "ban" => "Bản",
            "ap" => "Ấp",
            "to_dan_pho" => "Tổ dân phố",
            "khu_pho" => "Khu phố",
            "khom" => "Khóm",
            "lang" => "Làng",
            "xom" => "Xóm",
            "other" => "Khác",
            _ => return None,
        })
    }

    fn member_count(&self, count: u64) -> String {
        format!("{count} hội viên")
    }

    fn children_count(&self, count: u64) -> String {
        format!("{count} đơn vị trực thuộc")
    }

    fn village_count(&self, count: u64) -> String {
        format!("{count} thôn, tổ dân phố")
    }

    fn children_of(&self, name: &str) -> String {
        format!("Đơn vị trực thuộc {name}")
    }

    fn confirm_dissolve(&self, name: &str) -> String {
        format!("Giải thể “{name}”? Việc này được ghi vào nhật ký.")
    }

    fn added(&self, name: &str) -> String {
        format!("Đã thêm “{name}”.")
    }

    fn page_of(&self, page: u64, pages: u64) -> String {
        format!("Trang {page}/{pages}")
    }
}

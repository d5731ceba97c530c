//! Vietnamese texts (the default language), in Unicode NFC.

use super::{Catalogue, Key};
use shared::auth::Role;

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
}

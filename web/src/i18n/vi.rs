//! Vietnamese texts (the default language), in Unicode NFC.

use super::{Catalogue, Key};
use chrono::{DateTime, Local, NaiveDate, Utc};
use shared::auth::Role;
use shared::person::Gender;
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
            Key::NavPeople => "Người dân, hội viên",
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
            Key::FieldNameTooShort => "Họ và tên phải có ít nhất 2 ký tự.",
            Key::FieldNameTooLong => "Họ và tên không được dài quá 100 ký tự.",
            Key::FieldNameInvalid => {
                "Họ và tên chỉ gồm chữ cái, dấu cách, dấu nháy đơn, gạch nối và dấu chấm."
            }
            Key::FieldIdNot12 => "Số định danh cá nhân phải có đúng 12 chữ số.",
            Key::FieldIdProvince => {
                "Số định danh phải bắt đầu bằng 0 và mã tỉnh nơi đăng ký khai sinh (001 Hà Nội … 096 Cà Mau)."
            }
            Key::FieldIdCentury => {
                "Chữ số thứ 4 của số định danh (thế kỷ và giới tính) phải từ 0 đến 5."
            }
            Key::FieldIdMismatch => {
                "Giới tính hoặc năm sinh ghi trong số định danh không khớp với hồ sơ."
            }
            Key::FieldBirthRequired => "Cần ngày sinh hoặc năm sinh.",
            Key::FieldBirthFuture => "Ngày sinh không được ở tương lai.",
            Key::FieldBirthBefore1900 => "Năm sinh không được trước 1900.",
            Key::FieldBirthYearMismatch => "Năm sinh không khớp với ngày sinh.",
            Key::FieldInvalidYear => "Năm sinh gồm 4 chữ số, ví dụ 1985.",
            Key::FieldInvalidDate => "Ngày theo dạng ngày/tháng/năm, ví dụ 15/03/1985.",
            Key::FieldConsentRequired => {
                "Dân tộc, tôn giáo chỉ được lưu khi có sự đồng ý đã ghi nhận."
            }
            Key::FieldUnknownTargetGroup => "Nhóm đối tượng này không còn sử dụng.",
            Key::FieldUnknownCommune => "Không có xã, phường hiện hành mang mã này.",
            Key::FieldNotFoundInUnit => "Không tìm thấy trong đơn vị của bạn.",
            Key::FieldInactiveUnit => "Đơn vị này không còn hoạt động.",
            Key::FieldSameUnit => "Hội viên đang sinh hoạt ở đơn vị này.",
            Key::FieldInvalidStatus => "Trạng thái không hợp lệ.",
            Key::FieldTooLong50 => "Không được dài quá 50 ký tự.",
            Key::FieldTooLong100 => "Không được dài quá 100 ký tự.",
            Key::FieldTooLong300 => "Không được dài quá 300 ký tự.",
            Key::FieldTooLong1000 => "Không được dài quá 1000 ký tự.",
            Key::FieldLength2To200 => "Phải có từ 2 đến 200 ký tự.",
            Key::FieldLength2To1000 => "Phải có từ 2 đến 1000 ký tự.",

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
            Key::PerPage => "Số dòng mỗi trang",
            Key::MenuToggle => "Trình đơn",
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

            Key::ChooseOption => "— Chọn —",
            Key::PeopleTitle => "Người dân, hội viên",
            Key::PeopleIntro => {
                "Hồ sơ công dân trong đơn vị của bạn: người đăng ký Công dân học tập và hội viên Hội Khuyến học. Số định danh chỉ hiện một phần."
            }
            Key::PeopleListTitle => "Danh sách",
            Key::PeopleSearchLabel => "Tìm theo họ tên",
            Key::PeopleSearchHint => "Có thể gõ không dấu, ví dụ: nguyen van an.",
            Key::PeopleEmpty => "Chưa có hồ sơ nào.",
            Key::PeopleNoMatch => "Không có hồ sơ nào khớp với bộ lọc.",
            Key::MoreFilters => "Lọc theo nơi ở, nhóm đối tượng, giới tính, năm sinh",
            Key::MemberFilter => "Hội viên",
            Key::MembersOnly => "Chỉ hội viên",
            Key::NonMembersOnly => "Chưa là hội viên",
            Key::BornFrom => "Sinh từ năm",
            Key::BornTo => "Đến năm",
            Key::ChooseCommuneFirst => "Chọn xã, phường trước.",
            Key::PersonNew => "Thêm người",
            Key::MemberTag => "Hội viên",
            Key::NoPersonalId => "chưa có số định danh",
            Key::LookupTitle => "Tra cứu theo số định danh",
            Key::LookupHint => "Tìm đúng người mang số này trong đơn vị của bạn.",
            Key::LookupSubmit => "Tra cứu",
            Key::LookupNobody => "Không có hồ sơ nào mang số này trong đơn vị của bạn.",
            Key::OpenRecord => "Xem hồ sơ",
            Key::TargetGroup => "Nhóm đối tượng",
            Key::Gender => "Giới tính",
            Key::PersonalId => "Số định danh",
            Key::PersonalIdLabel => "Số định danh cá nhân (12 chữ số)",
            Key::BackToPeople => "Danh sách người dân, hội viên",
            Key::BackToPerson => "Hồ sơ",
            Key::PersonNewTitle => "Thêm người",
            Key::PersonEditTitle => "Sửa hồ sơ",
            Key::PersonNewHint => {
                "Nhấn Enter để lưu rồi nhập tiếp người khác; xã, thôn và nhóm đối tượng được giữ lại."
            }
            Key::PersonEditHint => "Nhấn Enter để lưu.",
            Key::PersonReadOnly => {
                "Tài khoản của bạn chỉ được xem, không được thêm hoặc sửa hồ sơ."
            }
            Key::FullName => "Họ và tên",
            Key::BirthDate => "Ngày sinh",
            Key::BirthYear => "Năm sinh",
            Key::BirthHint => {
                "Ngày sinh theo dạng ngày/tháng/năm (15/03/1985), hoặc chỉ năm sinh khi không rõ ngày."
            }
            Key::PersonalIdHint => {
                "12 chữ số trên thẻ căn cước; phải khớp với giới tính và năm sinh."
            }
            Key::RemovePersonalId => "Xóa số định danh đã lưu",
            Key::Occupation => "Nghề nghiệp",
            Key::Workplace => "Nơi làm việc, học tập",
            Key::KeptForNext => "Được giữ lại cho người nhập tiếp theo.",
            Key::OldAddressToggle => "Chỉ biết địa chỉ cũ (trước 01/07/2025)?",
            Key::OldAddressIntro => {
                "Ghi tỉnh, huyện, xã cũ (tên hoặc mã, có dấu hay không dấu đều được) rồi tra xã mới."
            }
            Key::OldProvince => "Tỉnh/thành phố cũ",
            Key::OldDistrict => "Quận/huyện cũ",
            Key::OldCommune => "Xã/phường/thị trấn cũ",
            Key::OldAddressLookup => "Tra xã mới",
            Key::OldAddressConverted => "Xã mới theo bảng chuyển đổi:",
            Key::OldAddressSplit => {
                "Xã cũ đã chia cho nhiều xã mới. Chọn xã nếu biết; nếu không, lưu hồ sơ để cán bộ tỉnh chọn."
            }
            Key::OldAddressUnmapped => {
                "Bảng chuyển đổi không có xã cũ này. Chọn xã mới nếu biết; nếu không, lưu hồ sơ để cán bộ tỉnh chọn."
            }
            Key::OldAddressCandidate => "Xã mới",
            Key::OldAddressUndecided => "Chưa biết: để cán bộ tỉnh chọn",
            Key::PersonHeld => "Hồ sơ đang chờ cán bộ tỉnh chọn xã mới trong hàng chờ địa chỉ cũ.",
            Key::OpenLegacyQueue => "Mở hàng chờ",
            Key::SensitiveTitle => "Dữ liệu nhạy cảm (dân tộc, tôn giáo)",
            Key::SensitiveHint => {
                "Chỉ ghi khi người dân đồng ý: cần ghi rõ ai đồng ý, ngày nào và nội dung đã đồng ý."
            }
            Key::Ethnicity => "Dân tộc",
            Key::Religion => "Tôn giáo",
            Key::ConsentBy => "Người đồng ý",
            Key::ConsentByHint => "Chính người dân, hoặc người giám hộ.",
            Key::ConsentAt => "Ngày đồng ý",
            Key::ConsentText => "Nội dung đã đồng ý",
            Key::ConsentTextHint => "Nội dung, hoặc số hiệu và phiên bản của văn bản đồng ý.",
            Key::SaveAndNew => "Lưu và nhập tiếp",
            Key::SaveThenNew => "Lưu rồi thêm người mới",
            Key::DuplicatePersonalId => "Đã có hồ sơ mang số định danh này.",
            Key::DuplicateOutside => {
                "Đã có hồ sơ mang số định danh này ở đơn vị khác; hãy liên hệ cán bộ của đơn vị đó."
            }
            Key::OpenExisting => "Mở hồ sơ đã có",
            Key::PersonTitle => "Hồ sơ",
            Key::Born => "Sinh",
            Key::ShowFullNumber => "Hiện số đầy đủ",
            Key::HideNumber => "Ẩn số",
            Key::RevealNote => "Việc xem số đầy đủ được ghi vào nhật ký.",
            Key::ExternalId => "Mã hồ sơ ở hệ thống khác",
            Key::UpdatedAt => "Cập nhật lần cuối",
            Key::ConsentTitle => "Sự đồng ý",
            Key::ExportRecord => "Tải toàn bộ dữ liệu (JSON)",
            Key::ExportNote => {
                "Theo yêu cầu của người dân; có số định danh đầy đủ và được ghi vào nhật ký."
            }
            Key::MembershipsTitle => "Sinh hoạt Hội",
            Key::NoMemberships => "Chưa là hội viên của đơn vị nào.",
            Key::AddMembership => "Kết nạp vào đơn vị",
            Key::MembershipUnit => "Đơn vị",
            Key::NoUnitsHere => "Xã, phường chưa có đơn vị Hội nào đang hoạt động.",
            Key::MemberRole => "Chức vụ",
            Key::JoinedOn => "Ngày vào Hội",
            Key::CardNumber => "Số thẻ",
            Key::Note => "Ghi chú",
            Key::EndedOn => "Ngày kết thúc",
            Key::EndMembership => "Kết thúc sinh hoạt",
            Key::EndReason => "Lý do",
            Key::TransferMembership => "Chuyển sinh hoạt",
            Key::TransferTo => "Chuyển đến đơn vị",
            Key::TransferOn => "Ngày chuyển",
            Key::AuditTitle => "Nhật ký truy cập và thay đổi",
            Key::AuditIntro => "Mọi lần xem, thay đổi, xem số đầy đủ và tải dữ liệu của hồ sơ này.",
            Key::DeleteTitle => "Xóa hồ sơ",
            Key::DeleteText => {
                "Khi người dân yêu cầu xóa dữ liệu: hồ sơ và các lần sinh hoạt Hội bị xóa; quyết định công nhận đã ban hành chỉ giữ những gì quyết định ghi."
            }
            Key::DeletePerson => "Xóa hồ sơ…",
            Key::DeleteConfirm => "Xác nhận xóa",
            Key::MembersTitle => "Hội viên",
            Key::IncludeSubUnits => "Gồm cả hội viên của các đơn vị trực thuộc",
            Key::MembershipStatus => "Trạng thái",
            Key::NoMembers => "Không có hội viên nào.",

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

    fn gender(&self, gender: Gender) -> &'static str {
        match gender {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }

    fn member_role(&self, role: &str) -> Option<&'static str> {
        Some(match role {
            "chu_tich" => "Chủ tịch",
            "pho_chu_tich" => "Phó Chủ tịch",
            "uy_vien" => "Ủy viên",
            "chi_hoi_truong" => "Chi hội trưởng",
            "hoi_vien" => "Hội viên",
            _ => return None,
        })
    }

    fn membership_status(&self, status: &str) -> Option<&'static str> {
        Some(match status {
            "active" => "Đang sinh hoạt",
            "transferred" => "Đã chuyển sinh hoạt",
            "left" => "Đã ra khỏi Hội",
            "deceased" => "Đã mất",
            _ => return None,
        })
    }

    fn audit_action(&self, action: &str) -> Option<&'static str> {
        Some(match action {
            "person.create" => "Tạo hồ sơ",
            "person.view" => "Xem hồ sơ",
            "person.update" => "Sửa hồ sơ",
            "person.delete" => "Xóa hồ sơ",
            "person.lookup" => "Tra cứu theo số định danh",
            "person.reveal_personal_id" => "Xem số định danh đầy đủ",
            "person.export" => "Tải toàn bộ dữ liệu",
            "membership.create" => "Kết nạp vào đơn vị",
            "membership.update" => "Sửa thông tin sinh hoạt Hội",
            "membership.transfer" => "Chuyển sinh hoạt",
            _ => return None,
        })
    }

    fn person_count(&self, count: u64) -> String {
        format!("{count} người")
    }

    fn id_encodes(&self, gender: Gender, birth_year: i32) -> String {
        format!(
            "Số định danh này của một người {}, sinh năm {birth_year}: không khớp với giới tính hoặc năm sinh đã nhập.",
            self.gender(gender).to_lowercase()
        )
    }

    fn personal_id_kept(&self, masked: &str) -> String {
        format!("Để trống để giữ số đã lưu ({masked}); nhập số mới để thay.")
    }

    fn consent_given(&self, by: &str, on: &str) -> String {
        format!("{by} đồng ý ngày {on}:")
    }

    fn transferred_to(&self, unit: &str) -> String {
        format!("chuyển sang {unit}")
    }

    fn confirm_delete_person(&self, name: &str) -> String {
        format!(
            "Xóa vĩnh viễn hồ sơ của “{name}” cùng các lần sinh hoạt Hội? Không thể hoàn tác; việc này được ghi vào nhật ký."
        )
    }

    fn date(&self, date: NaiveDate) -> String {
        date.format("%d/%m/%Y").to_string()
    }

    fn date_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Local)
            .format("%H:%M %d/%m/%Y")
            .to_string()
    }
}

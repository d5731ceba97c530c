//! English texts.

use super::{Catalogue, Key};
use chrono::{DateTime, Local, NaiveDate, Utc};
use shared::auth::Role;
use shared::person::Gender;
use shared::registry::{AssociationLevel, UnitStatus};

pub(super) struct En;

impl Catalogue for En {
    fn text(&self, key: Key) -> &'static str {
        match key {
            Key::AppName => "Công dân học tập",
            Key::AppTagline => "Vietnam Association for Promoting Education",
            Key::SkipToContent => "Skip to main content",
            Key::MainNavigation => "Main navigation",
            Key::NavHome => "Home",
            Key::NavUnits => "Administrative units",
            Key::NavLegacy => "Legacy commune codes",
            Key::NavAssociationUnits => "Association units",
            Key::NavVillages => "Villages",
            Key::NavPeople => "People",
            Key::LangToggle => "Tiếng Việt",
            Key::LangToggleLabel => "Switch to Vietnamese",
            Key::SignIn => "Sign in",
            Key::SignOut => "Sign out",
            Key::SignedInAs => "Signed in",
            Key::Loading => "Loading…",
            Key::Footer => {
                "Vietnam Association for Promoting Education — Learning Citizen programme"
            }

            Key::LoginTitle => "Sign in",
            Key::LoginIntro => "For officers of the Association at every level.",
            Key::Username => "Username",
            Key::Password => "Password",
            Key::LoginSubmit => "Sign in",
            Key::LoggingIn => "Signing in…",
            Key::SessionExpiredNotice => "Your session has expired. Please sign in again.",

            Key::ErrNetwork => "Cannot reach the server. Check the network and try again.",
            Key::ErrDecode => "The server sent data that could not be read.",
            Key::ErrSessionExpired => "Your session has expired. Please sign in again.",
            Key::ErrInvalidCredentials => "Wrong username or password.",
            Key::ErrUnauthorized => "You need to sign in to see this.",
            Key::ErrForbidden => "You are not allowed to see this.",
            Key::ErrNotFound => "Not found.",
            Key::ErrConflict => "The data has changed or already exists.",
            Key::ErrBadRequest => "The request is not valid.",
            Key::ErrValidation => "Some fields are not valid.",
            Key::ErrPayloadTooLarge => "The data sent is too large.",
            Key::ErrInternal => "The server had an internal error.",
            Key::ErrUnavailable => "The service is unavailable for now. Please try again later.",
            Key::ErrTooManyRequests => "Too many attempts. Please try again in a few minutes.",
            Key::RequestId => "Request id",
            Key::FieldRequired => "Required.",
            Key::FieldPasswordTooShort => "Must be at least 10 characters.",
            Key::FieldPasswordTooLong => "Must be at most 128 characters.",
            Key::FieldPasswordTooWeak => "Must not repeat a single character.",
            Key::FieldInvalidUsername => {
                "3 to 64 characters: lowercase letters, digits, “.”, “_” or “-”."
            }
            Key::FieldInvalidRole => "Not a valid role.",
            Key::FieldInvalidUnit => {
                "Must be “VN”, a 2-digit province code or a 5-digit commune code."
            }
            Key::FieldTooLong200 => "Must be at most 200 characters.",
            Key::FieldLength2To300 => "Must be 2 to 300 characters.",
            Key::FieldLength1To200 => "Must be 1 to 200 characters.",
            Key::FieldEmail => "Not a valid email address.",
            Key::FieldPhone => {
                "Not a valid phone number: a mobile (0912 345 678) or landline (024 3825 3536)."
            }
            Key::FieldInvalidKind => "Not a valid kind.",
            Key::FieldOtherCommune => "The village must lie in the same commune.",
            Key::FieldOtherProvince => "A village moves only to a commune of the same province.",
            Key::FieldInvalidParent => {
                "Units are added only under an active commune Association, branch or committee."
            }
            Key::FieldNotACommune => "Must be a current commune.",
            Key::FieldUnknownVillage => "This village is not in your unit.",
            Key::FieldInactiveVillage => "This village is deactivated.",
            Key::FieldNameTooShort => "The name must have at least 2 characters.",
            Key::FieldNameTooLong => "The name must have at most 100 characters.",
            Key::FieldNameInvalid => {
                "The name may contain only letters, spaces, apostrophes, hyphens and dots."
            }
            Key::FieldIdNot12 => "The personal ID number must have exactly 12 digits.",
            Key::FieldIdProvince => {
                "The personal ID number must start with 0 and a province code (001 Hà Nội … 096 Cà Mau)."
            }
            Key::FieldIdCentury => {
                "The 4th digit of the personal ID number (century and gender) must be 0 to 5."
            }
            Key::FieldIdMismatch => {
                "The gender or birth year the personal ID number encodes does not match the record."
            }
            Key::FieldBirthRequired => "A date or a year of birth is required.",
            Key::FieldBirthFuture => "The birth date is in the future.",
            Key::FieldBirthBefore1900 => "The birth date is before 1900.",
            Key::FieldBirthYearMismatch => "The year of birth does not match the date of birth.",
            Key::FieldInvalidYear => "Must be a year such as 1985.",
            Key::FieldInvalidDate => "Must be a day as day/month/year, such as 15/03/1985.",
            Key::FieldConsentRequired => {
                "Ethnicity and religion are kept only with a recorded consent."
            }
            Key::FieldUnknownTargetGroup => "This target group is not in use.",
            Key::FieldUnknownCommune => "No current commune has this code.",
            Key::FieldNotFoundInUnit => "Not found in your unit.",
            Key::FieldInactiveUnit => "This unit is no longer active.",
            Key::FieldSameUnit => "The member is already in this unit.",
            Key::FieldInvalidStatus => "Invalid status.",
            Key::FieldTooLong50 => "Must be at most 50 characters.",
            Key::FieldTooLong100 => "Must be at most 100 characters.",
            Key::FieldTooLong300 => "Must be at most 300 characters.",
            Key::FieldTooLong1000 => "Must be at most 1000 characters.",
            Key::FieldLength2To200 => "Must be 2 to 200 characters.",
            Key::FieldLength2To1000 => "Must be 2 to 1000 characters.",

            Key::HomeTitle => "Home",
            Key::YourUnit => "Your unit",
            Key::YourRole => "Role",
            Key::SectionsTitle => "Sections",
            Key::SectionUnitsText => {
                "The 34 provinces and their current communes, wards and special zones."
            }
            Key::SectionLegacyText => {
                "Find the current commune from the code or name of a commune before 1 July 2025."
            }

            Key::UnitsTitle => "Administrative units",
            Key::UnitsIntro => {
                "The two-level list of administrative units in force since 1 July 2025."
            }
            Key::SearchTitle => "Search",
            Key::SearchLabel => "Find a province, commune or ward by name or code",
            Key::SearchHint => "Diacritics are optional, e.g. ba dinh.",
            Key::SearchNoResults => "No matching unit.",
            Key::ProvincesTitle => "Provinces",

            Key::UnitCode => "Code",
            Key::UnitType => "Type",
            Key::UnitLevel => "Level",
            Key::UnitParent => "Part of",
            Key::UnitProvince => "Province",
            Key::UnitChildren => "Units directly below",
            Key::LevelProvince => "Province",
            Key::LevelDistrict => "District",
            Key::LevelCommune => "Commune",
            Key::CommunesTitle => "Communes, wards and special zones",
            Key::CommuneFilterLabel => "Filter by name or code",
            Key::CommuneFilterHint => "Diacritics are optional.",
            Key::CommuneFilterEmpty => "No commune matches the filter.",
            Key::BackToProvinces => "List of provinces",

            Key::LegacyTitle => "Legacy commune codes",
            Key::LegacyIntro => {
                "Enter the code of a commune, ward or township from before 1 July 2025 to see which current commune it belongs to."
            }
            Key::LegacyCodeLabel => "Legacy commune code (5 digits)",
            Key::LegacyCodeHint => "For example: 00007.",
            Key::LegacySubmit => "Look up",
            Key::LegacyCodeInvalid => "A legacy commune code has exactly 5 digits.",
            Key::LegacyCommuneTitle => "Legacy commune",
            Key::LegacyPartlyMerged => {
                "This commune was split: for each record an officer must choose the right current commune from the list below."
            }
            Key::SuccessorsTitle => "Now part of",
            Key::NoSuccessors => "No current commune is recorded for it.",
            Key::PartOnly => "part",
            Key::LegacySearchTitle => "Search legacy names",
            Key::LegacySearchLabel => "Name of a legacy commune, ward or township",
            Key::LegacySearchHint => "Diacritics are optional, e.g. phuc xa.",

            Key::FilterByName => "Filter by name",
            Key::LoadMore => "Show more",
            Key::PrevPage => "Previous page",
            Key::NextPage => "Next page",
            Key::PerPage => "Rows per page",
            Key::MenuToggle => "Menu",
            Key::Save => "Save",
            Key::Saving => "Saving…",
            Key::Saved => "Saved.",
            Key::Cancel => "Cancel",
            Key::Edit => "Edit",
            Key::NotSet => "Not set",
            Key::AllOption => "— All —",

            Key::AssocTitle => "Association units",
            Key::AssocIntro => {
                "The Association's organisation within your unit: Associations at every level, branches and committees."
            }
            Key::AssocChildrenTitle => "Units below",
            Key::AssocNoChildren => "No units below yet.",
            Key::AssocNoMatch => "No unit matches the filter.",
            Key::BackToTree => "Association tree",
            Key::AuChairperson => "Chairperson",
            Key::AuPhone => "Phone",
            Key::AuPhoneHint => "For example: 0912 345 678 or 024 3825 3536.",
            Key::AuEmail => "Email",
            Key::AuMembers => "Members",
            Key::AuStatus => "Status",
            Key::AuCommitteeKind => "Kind of committee",
            Key::AuVillage => "Village",
            Key::AuEditTitle => "Edit details",
            Key::AuName => "Name of the unit",
            Key::AuDissolveTitle => "Dissolve the unit",
            Key::AuDissolveText => {
                "A dissolved unit no longer shows in the tree. Move its members and units below elsewhere first."
            }
            Key::AuDissolve => "Dissolve…",
            Key::AuDissolveConfirm => "Yes, dissolve",
            Key::AuDissolveBlocked => {
                "The unit still has active units below or members: move them to another unit before dissolving it."
            }
            Key::AuRestore => "Restore",
            Key::AuRestoreText => {
                "This unit is no longer active. It can be restored if it was dissolved by mistake."
            }
            Key::NewSubUnitTitle => "Add a branch or committee",
            Key::NewSubUnitLevel => "Kind of unit",
            Key::NewSubUnitNameHint => "For example: Chi hội Khuyến học thôn Đông.",
            Key::NoneChosen => "— None —",
            Key::NoVillagesYet => "The commune has no villages in the list yet.",
            Key::NewSubUnitSubmit => "Add unit",
            Key::Adding => "Adding…",

            Key::VillagesTitle => "Villages",
            Key::VillagesIntro => {
                "The villages and residential groups of each commune, used for branches and for where members live."
            }
            Key::VillagesListTitle => "List",
            Key::NewVillageTitle => "Add a village",
            Key::VillageName => "Name",
            Key::VillageNameHint => "Press Enter to save, then type the next name.",
            Key::VillageKind => "Kind",
            Key::VillageSubmit => "Save and add another",
            Key::VillageChooseCommune => "Choose a commune to add villages to it.",
            Key::ShowInactive => "Also show deactivated villages",
            Key::VillagesEmpty => "No villages yet.",
            Key::VillagesNoMatch => "No village matches the filter.",
            Key::VillageInactive => "deactivated",
            Key::Deactivate => "Deactivate",
            Key::Reactivate => "Reactivate",

            Key::ChooseOption => "— Choose —",
            Key::PeopleTitle => "People",
            Key::PeopleIntro => {
                "The people on record in your unit: Learning Citizen registrants and members of the Association. ID numbers are shown masked."
            }
            Key::PeopleListTitle => "List",
            Key::PeopleSearchLabel => "Search by name",
            Key::PeopleSearchHint => "Diacritics are optional, e.g. nguyen van an.",
            Key::PeopleEmpty => "No records yet.",
            Key::PeopleNoMatch => "No record matches the filters.",
            Key::MoreFilters => "Filter by place, target group, gender, birth year",
            Key::MemberFilter => "Membership",
            Key::MembersOnly => "Members only",
            Key::NonMembersOnly => "Not members",
            Key::BornFrom => "Born from",
            Key::BornTo => "Born until",
            Key::ChooseCommuneFirst => "Choose a commune first.",
            Key::PersonNew => "Add a person",
            Key::MemberTag => "Member",
            Key::NoPersonalId => "no ID number",
            Key::LookupTitle => "Look up by personal ID number",
            Key::LookupHint => "Finds the person with exactly this number in your unit.",
            Key::LookupSubmit => "Look up",
            Key::LookupNobody => "No record in your unit has this number.",
            Key::OpenRecord => "Open the record",
            Key::TargetGroup => "Target group",
            Key::Gender => "Gender",
            Key::PersonalId => "ID number",
            Key::PersonalIdLabel => "Personal ID number (12 digits)",
            Key::BackToPeople => "People",
            Key::BackToPerson => "Back to the record",
            Key::PersonNewTitle => "Add a person",
            Key::PersonEditTitle => "Edit the record",
            Key::PersonNewHint => {
                "Press Enter to save and go on with the next person; the commune, village and target group are kept."
            }
            Key::PersonEditHint => "Press Enter to save.",
            Key::PersonReadOnly => "Your account can read records but not add or change them.",
            Key::FullName => "Full name",
            Key::BirthDate => "Date of birth",
            Key::BirthYear => "Year of birth",
            Key::BirthHint => {
                "The date of birth as day/month/year (15/03/1985), or only the year when the date is not known."
            }
            Key::PersonalIdHint => {
                "The 12 digits on the ID card; they must match the gender and year of birth."
            }
            Key::RemovePersonalId => "Remove the stored ID number",
            Key::Occupation => "Occupation",
            Key::Workplace => "Workplace or school",
            Key::KeptForNext => "Kept for the next person you enter.",
            Key::OldAddressToggle => "Only the old address (before 1 July 2025) is known?",
            Key::OldAddressIntro => {
                "Give the old province, district and commune (names or codes, with or without diacritics), then look up the current commune."
            }
            Key::OldProvince => "Old province",
            Key::OldDistrict => "Old district",
            Key::OldCommune => "Old commune",
            Key::OldAddressLookup => "Look up the current commune",
            Key::OldAddressConverted => "Current commune from the conversion table:",
            Key::OldAddressSplit => {
                "The old commune was split over several current communes. Choose one if you know it; otherwise save, and an officer of the province will choose."
            }
            Key::OldAddressUnmapped => {
                "The conversion table does not list this old commune. Choose the current commune if you know it; otherwise save, and an officer of the province will choose."
            }
            Key::OldAddressCandidate => "Current commune",
            Key::OldAddressUndecided => "Not known: an officer of the province chooses",
            Key::PersonHeld => {
                "The record waits in the old-address queue for an officer of the province to choose its current commune."
            }
            Key::OpenLegacyQueue => "Open the queue",
            Key::SensitiveTitle => "Sensitive data (ethnicity, religion)",
            Key::SensitiveHint => {
                "Record only with the person's consent: say who consented, when, and to what."
            }
            Key::Ethnicity => "Ethnicity",
            Key::Religion => "Religion",
            Key::ConsentBy => "Consent given by",
            Key::ConsentByHint => "The person, or their guardian.",
            Key::ConsentAt => "Date of consent",
            Key::ConsentText => "What was consented to",
            Key::ConsentTextHint => "The text, or the reference and version of the consent form.",
            Key::SaveAndNew => "Save and add another",
            Key::SaveThenNew => "Save, then add someone new",
            Key::DuplicatePersonalId => "A record with this personal ID number exists.",
            Key::DuplicateOutside => {
                "A record with this personal ID number exists outside your unit; ask the officers of the unit it belongs to."
            }
            Key::OpenExisting => "Open the existing record",
            Key::PersonTitle => "Person",
            Key::Born => "Born",
            Key::ShowFullNumber => "Show the full number",
            Key::HideNumber => "Hide the number",
            Key::RevealNote => "Showing the full number is recorded in the audit log.",
            Key::ExternalId => "ID in another system",
            Key::UpdatedAt => "Last changed",
            Key::ConsentTitle => "Consent",
            Key::ExportRecord => "Download everything held (JSON)",
            Key::ExportNote => {
                "At the person's request; includes the full ID number and is recorded in the audit log."
            }
            Key::MembershipsTitle => "Memberships",
            Key::NoMemberships => "Not a member of any unit.",
            Key::AddMembership => "Add to a unit",
            Key::MembershipUnit => "Unit",
            Key::NoUnitsHere => "The commune has no active Association unit.",
            Key::MemberRole => "Role",
            Key::JoinedOn => "Joined on",
            Key::CardNumber => "Card number",
            Key::Note => "Note",
            Key::EndedOn => "Ended on",
            Key::EndMembership => "End the membership",
            Key::EndReason => "Reason",
            Key::TransferMembership => "Transfer",
            Key::TransferTo => "Transfer to",
            Key::TransferOn => "Transfer date",
            Key::AuditTitle => "Audit trail",
            Key::AuditIntro => {
                "Every view, change, display of the full number and download of this record."
            }
            Key::DeleteTitle => "Erase the record",
            Key::DeleteText => {
                "When the person asks for erasure: the record and its memberships are erased; recognition decisions already issued keep only what they state."
            }
            Key::DeletePerson => "Erase…",
            Key::DeleteConfirm => "Erase for good",
            Key::MembersTitle => "Members",
            Key::IncludeSubUnits => "Include the members of the units below",
            Key::MembershipStatus => "Status",
            Key::NoMembers => "No members.",

            Key::NotFoundTitle => "Page not found",
            Key::NotFoundText => "This address does not exist.",
            Key::BackHome => "Back to the home page",
        }
    }

    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::CentralAdmin => "Central administrator",
            Role::ProvinceOfficer => "Province officer",
            Role::CommuneOfficer => "Commune officer",
            Role::BranchOfficer => "Branch officer",
            Role::Viewer => "Viewer",
        }
    }

    fn welcome(&self, name: &str) -> String {
        format!("Welcome, {name}!")
    }

    fn results_count(&self, count: usize) -> String {
        match count {
            1 => "1 result".to_string(),
            n => format!("{n} results"),
        }
    }

    fn filter_count(&self, shown: usize, total: usize) -> String {
        format!("Showing {shown} of {total} units")
    }

    fn retry_after(&self, seconds: u64) -> String {
        format!("Too many attempts. Please try again in {seconds} seconds.")
    }

    fn http_status(&self, status: u16) -> String {
        format!("The server answered with error {status}.")
    }

    fn legacy_code_unknown(&self, code: &str) -> String {
        format!("The legacy commune list does not know the code {code}.")
    }

    fn association_level(&self, level: AssociationLevel) -> &'static str {
        match level {
            AssociationLevel::Central => "Central Association",
            AssociationLevel::Province => "Province Association",
            AssociationLevel::Commune => "Commune Association",
            AssociationLevel::Branch => "Branch",
            AssociationLevel::Committee => "Committee",
        }
    }

    fn unit_status(&self, status: UnitStatus) -> &'static str {
        match status {
            UnitStatus::Active => "Active",
            UnitStatus::Merged => "Merged",
            UnitStatus::Dissolved => "Dissolved",
        }
    }

    fn committee_kind(&self, kind: &str) -> Option<&'static str> {
        Some(match kind {
            "agency" => "Agency",
            "school" => "School",
            "enterprise" => "Enterprise",
            "clan" => "Clan",
            "other" => "Other",
            _ => return None,
        })
    }

    fn village_kind(&self, kind: &str) -> Option<&'static str> {
        Some(match kind {
            "thon" => "Village (thôn)",
            "ban" => "Hamlet (bản)",
            "ap" => "Hamlet (ấp)",
            "to_dan_pho" => "Residential group (tổ dân phố)",
            "khu_pho" => "Quarter (khu phố)",
            "khom" => "Quarter (khóm)",
            "lang" => "Village (làng)",
            "xom" => "Hamlet (xóm)",
            "other" => "Other",
            _ => return None,
        })
    }

    fn member_count(&self, count: u64) -> String {
        match count {
            1 => "1 member".to_string(),
            n => format!("{n} members"),
        }
    }

    fn children_count(&self, count: u64) -> String {
        match count {
            1 => "1 unit below".to_string(),
            n => format!("{n} units below"),
        }
    }

    fn village_count(&self, count: u64) -> String {
        match count {
            1 => "1 village".to_string(),
            n => format!("{n} villages"),
        }
    }

    fn children_of(&self, name: &str) -> String {
        format!("Units below {name}")
    }

    fn confirm_dissolve(&self, name: &str) -> String {
        format!("Dissolve “{name}”? This is recorded in the audit log.")
    }

    fn added(&self, name: &str) -> String {
        format!("Added “{name}”.")
    }

    fn page_of(&self, page: u64, pages: u64) -> String {
        format!("Page {page} of {pages}")
    }

    fn gender(&self, gender: Gender) -> &'static str {
        match gender {
            Gender::Male => "Male",
            Gender::Female => "Female",
        }
    }

    fn member_role(&self, role: &str) -> Option<&'static str> {
        Some(match role {
            "chu_tich" => "Chairperson",
            "pho_chu_tich" => "Vice-chairperson",
            "uy_vien" => "Committee member",
            "chi_hoi_truong" => "Branch head",
            "hoi_vien" => "Member",
            _ => return None,
        })
    }

    fn membership_status(&self, status: &str) -> Option<&'static str> {
        Some(match status {
            "active" => "Active",
            "transferred" => "Transferred",
            "left" => "Left",
            "deceased" => "Deceased",
            _ => return None,
        })
    }

    fn audit_action(&self, action: &str) -> Option<&'static str> {
        Some(match action {
            "person.create" => "Record created",
            "person.view" => "Record viewed",
            "person.update" => "Record changed",
            "person.delete" => "Record erased",
            "person.lookup" => "Looked up by ID number",
            "person.reveal_personal_id" => "Full ID number shown",
            "person.export" => "Everything held downloaded",
            "membership.create" => "Added to a unit",
            "membership.update" => "Membership changed",
            "membership.transfer" => "Membership transferred",
            _ => return None,
        })
    }

    fn person_count(&self, count: u64) -> String {
        match count {
            1 => "1 person".to_string(),
            n => format!("{n} people"),
        }
    }

    fn id_encodes(&self, gender: Gender, birth_year: i32) -> String {
        format!(
            "This number belongs to a {} born in {birth_year}: it does not match the gender or year of birth entered.",
            self.gender(gender).to_lowercase()
        )
    }

    fn personal_id_kept(&self, masked: &str) -> String {
        format!("Leave empty to keep the stored number ({masked}); type a new one to replace it.")
    }

    fn consent_given(&self, by: &str, on: &str) -> String {
        format!("{by} consented on {on}:")
    }

    fn transferred_to(&self, unit: &str) -> String {
        format!("transferred to {unit}")
    }

    fn confirm_delete_person(&self, name: &str) -> String {
        format!(
            "Erase the record of “{name}” and its memberships for good? This cannot be undone and is recorded in the audit log."
        )
    }

    fn date(&self, date: NaiveDate) -> String {
        date.format("%-d %b %Y").to_string()
    }

    fn date_time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&Local)
            .format("%-d %b %Y %H:%M")
            .to_string()
    }
}

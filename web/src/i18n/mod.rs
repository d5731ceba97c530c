//! The catalogue of every user-visible text, in Vietnamese (the default) and English.
//!
//! Plain texts are looked up by [`Key`]; texts with values in them are methods of [`Catalogue`].
//! Each language implements the whole trait, so a missing translation does not compile.

mod en;
pub mod home;
pub mod imports;
pub mod reports;
mod vi;
pub mod workflow;

use crate::storage;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use shared::auth::Role;
use shared::error::FieldError;
use shared::person::Gender;
use shared::registry::{AssociationLevel, UnitStatus};

/// Where the chosen language is remembered between visits.
const LANG_KEY: &str = "cdht.lang";

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    fn parse(tag: &str) -> Option<Self> {
        match tag {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, the one the toggle switches to.
    pub fn other(self) -> Self {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }

    fn catalogue(self) -> &'static dyn Catalogue {
        match self {
            Lang::Vi => &vi::Vi,
            Lang::En => &en::En,
        }
    }
}

/// Keys of the plain texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppName,
    AppTagline,
    SkipToContent,
    MainNavigation,
    NavHome,
    NavUnits,
    NavLegacy,
    NavAssociationUnits,
    NavVillages,
    NavPeople,
    /// Name of the language the toggle switches to, written in that language.
    LangToggle,
    /// Accessible name of the language toggle.
    LangToggleLabel,
    SignIn,
    SignOut,
    SignedInAs,
    Loading,
    Footer,

    LoginTitle,
    LoginIntro,
    Username,
    Password,
    LoginSubmit,
    LoggingIn,
    SessionExpiredNotice,

    ErrNetwork,
    ErrDecode,
    ErrSessionExpired,
    ErrInvalidCredentials,
    ErrUnauthorized,
    ErrForbidden,
    ErrNotFound,
    ErrConflict,
    ErrBadRequest,
    ErrValidation,
    ErrPayloadTooLarge,
    ErrInternal,
    ErrUnavailable,
    ErrTooManyRequests,
    RequestId,
    FieldRequired,
    FieldPasswordTooShort,
    FieldPasswordTooLong,
    FieldPasswordTooWeak,
    FieldInvalidUsername,
    FieldInvalidRole,
    FieldInvalidUnit,
    FieldTooLong200,
    FieldLength2To300,
    FieldLength1To200,
    FieldEmail,
    FieldPhone,
    FieldInvalidKind,
    FieldOtherCommune,
    FieldOtherProvince,
    FieldInvalidParent,
    FieldNotACommune,
    FieldUnknownVillage,
    FieldInactiveVillage,
    FieldNameTooShort,
    FieldNameTooLong,
    FieldNameInvalid,
    FieldIdNot12,
    FieldIdProvince,
    FieldIdCentury,
    FieldIdMismatch,
    FieldBirthRequired,
    FieldBirthFuture,
    FieldBirthBefore1900,
    FieldBirthYearMismatch,
    FieldInvalidYear,
    FieldInvalidDate,
    FieldConsentRequired,
    FieldUnknownTargetGroup,
    FieldUnknownCommune,
    FieldNotFoundInUnit,
    FieldInactiveUnit,
    FieldSameUnit,
    FieldInvalidStatus,
    FieldTooLong50,
    FieldTooLong100,
    FieldTooLong300,
    FieldTooLong1000,
    FieldLength2To200,
    FieldLength2To1000,

    HomeTitle,
    YourUnit,
    YourRole,
    SectionsTitle,
    SectionUnitsText,
    SectionLegacyText,

    UnitsTitle,
    UnitsIntro,
    SearchTitle,
    SearchLabel,
    SearchHint,
    SearchNoResults,
    ProvincesTitle,

    UnitCode,
    UnitType,
    UnitLevel,
    UnitParent,
    UnitProvince,
    UnitChildren,
    LevelProvince,
    LevelDistrict,
    LevelCommune,
    CommunesTitle,
    CommuneFilterLabel,
    CommuneFilterHint,
    CommuneFilterEmpty,
    BackToProvinces,

    LegacyTitle,
    LegacyIntro,
    LegacyCodeLabel,
    LegacyCodeHint,
    LegacySubmit,
    LegacyCodeInvalid,
    LegacyCommuneTitle,
    LegacyPartlyMerged,
    SuccessorsTitle,
    NoSuccessors,
    PartOnly,
    LegacySearchTitle,
    LegacySearchLabel,
    LegacySearchHint,

    FilterByName,
    LoadMore,
    PrevPage,
    NextPage,
    PerPage,
    MenuToggle,
    Save,
    Saving,
    Saved,
    Cancel,
    Edit,
    NotSet,
    AllOption,

    AssocTitle,
    AssocIntro,
    AssocChildrenTitle,
    AssocNoChildren,
    AssocNoMatch,
    BackToTree,
    AuChairperson,
    AuPhone,
    AuPhoneHint,
    AuEmail,
    AuMembers,
    AuStatus,
    AuCommitteeKind,
    AuVillage,
    AuEditTitle,
    AuName,
    AuDissolveTitle,
    AuDissolveText,
    AuDissolve,
    AuDissolveConfirm,
    AuDissolveBlocked,
    AuRestore,
    AuRestoreText,
    NewSubUnitTitle,
    NewSubUnitLevel,
    NewSubUnitNameHint,
    NoneChosen,
    NoVillagesYet,
    NewSubUnitSubmit,
    Adding,

    VillagesTitle,
    VillagesIntro,
    VillagesListTitle,
    NewVillageTitle,
    VillageName,
    VillageNameHint,
    VillageKind,
    VillageSubmit,
    VillageChooseCommune,
    ShowInactive,
    VillagesEmpty,
    VillagesNoMatch,
    VillageInactive,
    Deactivate,
    Reactivate,

    ChooseOption,
    PeopleTitle,
    PeopleIntro,
    PeopleListTitle,
    PeopleSearchLabel,
    PeopleSearchHint,
    PeopleEmpty,
    PeopleNoMatch,
    MoreFilters,
    MemberFilter,
    MembersOnly,
    NonMembersOnly,
    BornFrom,
    BornTo,
    ChooseCommuneFirst,
    PersonNew,
    MemberTag,
    NoPersonalId,
    LookupTitle,
    LookupHint,
    LookupSubmit,
    LookupNobody,
    OpenRecord,
    TargetGroup,
    Gender,
    PersonalId,
    PersonalIdLabel,
    BackToPeople,
    BackToPerson,
    PersonNewTitle,
    PersonEditTitle,
    PersonNewHint,
    PersonEditHint,
    PersonReadOnly,
    FullName,
    BirthDate,
    BirthYear,
    BirthHint,
    PersonalIdHint,
    RemovePersonalId,
    Occupation,
    Workplace,
    KeptForNext,
    OldAddressToggle,
    OldAddressIntro,
    OldProvince,
    OldDistrict,
    OldCommune,
    OldAddressLookup,
    OldAddressConverted,
    OldAddressSplit,
    OldAddressUnmapped,
    OldAddressCandidate,
    OldAddressUndecided,
    PersonHeld,
    OpenLegacyQueue,
    SensitiveTitle,
    SensitiveHint,
    Ethnicity,
    Religion,
    ConsentBy,
    ConsentByHint,
    ConsentAt,
    ConsentText,
    ConsentTextHint,
    SaveAndNew,
    SaveThenNew,
    DuplicatePersonalId,
    DuplicateOutside,
    OpenExisting,
    PersonTitle,
    Born,
    ShowFullNumber,
    HideNumber,
    RevealNote,
    ExternalId,
    UpdatedAt,
    ConsentTitle,
    ExportRecord,
    ExportNote,
    MembershipsTitle,
    NoMemberships,
    AddMembership,
    MembershipUnit,
    NoUnitsHere,
    MemberRole,
    JoinedOn,
    CardNumber,
    Note,
    EndedOn,
    EndMembership,
    EndReason,
    TransferMembership,
    TransferTo,
    TransferOn,
    AuditTitle,
    AuditIntro,
    DeleteTitle,
    DeleteText,
    DeletePerson,
    DeleteConfirm,
    MembersTitle,
    IncludeSubUnits,
    MembershipStatus,
    NoMembers,

    NotFoundTitle,
    NotFoundText,
    BackHome,
}

/// Every text of one language.
pub trait Catalogue: Sync {
    fn text(&self, key: Key) -> &'static str;
    fn role(&self, role: Role) -> &'static str;
    fn welcome(&self, name: &str) -> String;
    fn results_count(&self, count: usize) -> String;
    fn filter_count(&self, shown: usize, total: usize) -> String;
    fn retry_after(&self, seconds: u64) -> String;
    fn http_status(&self, status: u16) -> String;
    fn legacy_code_unknown(&self, code: &str) -> String;
    fn association_level(&self, level: AssociationLevel) -> &'static str;
    fn unit_status(&self, status: UnitStatus) -> &'static str;
    /// Label of a committee kind (`agency`, `school`, …); `None` for a code it does not know.
    fn committee_kind(&self, kind: &str) -> Option<&'static str>;
    /// Label of a village kind (`thon`, `ban`, …); `None` for a code it does not know.
    fn village_kind(&self, kind: &str) -> Option<&'static str>;
    fn member_count(&self, count: u64) -> String;
    fn children_count(&self, count: u64) -> String;
    fn village_count(&self, count: u64) -> String;
    /// Accessible name of the button that shows or hides the units below `name`.
    fn children_of(&self, name: &str) -> String;
    fn confirm_dissolve(&self, name: &str) -> String;
    fn added(&self, name: &str) -> String;
    fn page_of(&self, page: u64, pages: u64) -> String;
    fn gender(&self, gender: Gender) -> &'static str;
    /// Label of a member role (`chu_tich`, …); `None` for a code it does not know.
    fn member_role(&self, role: &str) -> Option<&'static str>;
    /// Label of a membership status (`active`, …); `None` for a code it does not know.
    fn membership_status(&self, status: &str) -> Option<&'static str>;
    /// Label of an audit action (`person.view`, …); `None` for one it does not know.
    fn audit_action(&self, action: &str) -> Option<&'static str>;
    fn person_count(&self, count: u64) -> String;
    /// What a personal ID number that does not match the record encodes.
    fn id_encodes(&self, gender: Gender, birth_year: i32) -> String;
    /// Hint of the ID field of a record whose number is stored (shown `masked`).
    fn personal_id_kept(&self, masked: &str) -> String;
    fn consent_given(&self, by: &str, on: &str) -> String;
    fn transferred_to(&self, unit: &str) -> String;
    fn confirm_delete_person(&self, name: &str) -> String;
    fn date(&self, date: NaiveDate) -> String;
    /// A moment, in the browser's time zone.
    fn date_time(&self, at: DateTime<Utc>) -> String;
}

/// The chosen language, shared by the whole application.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// Starts with the language remembered in local storage, Vietnamese otherwise.
    pub fn new() -> Self {
        let lang = storage::get(LANG_KEY)
            .and_then(|tag| Lang::parse(&tag))
            .unwrap_or(Lang::Vi);
        Self {
            lang: RwSignal::new(lang),
        }
    }

    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The catalogue of the current language (tracked).
    pub fn cat(&self) -> &'static dyn Catalogue {
        self.lang.get().catalogue()
    }

    /// A plain text in the current language (tracked).
    pub fn t(&self, key: Key) -> &'static str {
        self.cat().text(key)
    }

    /// The Vietnamese or English one of a pair of names kept as data (tracked).
    pub fn pick<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang() {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Switches to the other language and remembers the choice.
    pub fn toggle(&self) {
        let next = self.lang.get_untracked().other();
        storage::set(LANG_KEY, next.tag());
        self.lang.set(next);
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

/// The catalogue's translation of a field error sent by the API or found by the shared
/// validation rules; the original message when the catalogue has none.
pub fn field_message(cat: &dyn Catalogue, error: &FieldError) -> String {
    let FieldError {
        field,
        code,
        message,
    } = error;
    let key = match (code.as_str(), message.as_str()) {
        (_, "is required") => Some(Key::FieldRequired),
        ("too_short", _) => Some(Key::FieldPasswordTooShort),
        ("too_long", _) => Some(Key::FieldPasswordTooLong),
        ("too_weak", _) => Some(Key::FieldPasswordTooWeak),
        ("invalid_username", _) => Some(Key::FieldInvalidUsername),
        ("invalid_role", _) => Some(Key::FieldInvalidRole),
        ("invalid_unit", _) => Some(Key::FieldInvalidUnit),
        (_, "must be at most 50 characters") => Some(Key::FieldTooLong50),
        (_, "must be at most 100 characters") => Some(Key::FieldTooLong100),
        (_, "must be at most 200 characters") => Some(Key::FieldTooLong200),
        (_, "must be at most 300 characters") => Some(Key::FieldTooLong300),
        (_, "must be at most 1000 characters") => Some(Key::FieldTooLong1000),
        (_, "must be 2 to 300 characters") => Some(Key::FieldLength2To300),
        (_, "must be 1 to 200 characters") => Some(Key::FieldLength1To200),
        (_, "must be 2 to 200 characters") => Some(Key::FieldLength2To200),
        (_, "must be 2 to 1000 characters") => Some(Key::FieldLength2To1000),
        (_, "must be an email address") => Some(Key::FieldEmail),
        ("required", _) => Some(Key::FieldRequired),
        ("invalid_phone", _) => Some(Key::FieldPhone),
        ("invalid_kind", _) => Some(Key::FieldInvalidKind),
        ("other_commune", _) => Some(Key::FieldOtherCommune),
        ("other_province", _) => Some(Key::FieldOtherProvince),
        ("invalid_parent", _) => Some(Key::FieldInvalidParent),
        ("not_a_commune" | "unknown_unit", _) => Some(Key::FieldNotACommune),
        ("unknown_village", _) => Some(Key::FieldUnknownVillage),
        ("inactive_village", _) => Some(Key::FieldInactiveVillage),
        ("name_too_short", _) => Some(Key::FieldNameTooShort),
        ("name_too_long", _) => Some(Key::FieldNameTooLong),
        ("name_invalid_characters", _) => Some(Key::FieldNameInvalid),
        ("not_12_digits", _) => Some(Key::FieldIdNot12),
        ("unknown_province", _) => Some(Key::FieldIdProvince),
        ("invalid_century_digit", _) => Some(Key::FieldIdCentury),
        ("gender_mismatch", _) => Some(Key::FieldIdMismatch),
        // The same code says the number and the record disagree, or the date and the year.
        ("birth_year_mismatch", _) if field == "personal_id" => Some(Key::FieldIdMismatch),
        ("birth_year_mismatch", _) => Some(Key::FieldBirthYearMismatch),
        ("birth_required", _) => Some(Key::FieldBirthRequired),
        ("birth_in_future", _) => Some(Key::FieldBirthFuture),
        ("birth_before_1900", _) => Some(Key::FieldBirthBefore1900),
        ("invalid_year", _) => Some(Key::FieldInvalidYear),
        ("invalid_date", _) => Some(Key::FieldInvalidDate),
        ("consent_required", _) => Some(Key::FieldConsentRequired),
        ("unknown_target_group", _) => Some(Key::FieldUnknownTargetGroup),
        ("unknown_commune", _) => Some(Key::FieldUnknownCommune),
        ("unknown" | "unknown_person", _) => Some(Key::FieldNotFoundInUnit),
        ("inactive", _) => Some(Key::FieldInactiveUnit),
        ("same_unit", _) => Some(Key::FieldSameUnit),
        ("invalid_status", _) => Some(Key::FieldInvalidStatus),
        _ => None,
    };
    match key {
        Some(key) => cat.text(key).to_string(),
        None => message.clone(),
    }
}

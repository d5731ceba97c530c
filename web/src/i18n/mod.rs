//! The catalogue of every user-visible text, in Vietnamese (the default) and English.
//!
//! Plain texts are looked up by [`Key`]; texts with values in them are methods of [`Catalogue`].
//! Each language implements the whole trait, so a missing translation does not compile.

mod en;
mod vi;

use crate::storage;
use leptos::prelude::*;
use shared::auth::Role;
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
    ErrUnknown,
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
pub fn field_message(cat: &dyn Catalogue, code: &str, message: &str) -> String {
    let key = match (code, message) {
        (_, "is required") => Some(Key::FieldRequired),
        ("too_short", _) => Some(Key::FieldPasswordTooShort),
        ("too_long", _) => Some(Key::FieldPasswordTooLong),
        ("too_weak", _) => Some(Key::FieldPasswordTooWeak),
        ("invalid_username", _) => Some(Key::FieldInvalidUsername),
        ("invalid_role", _) => Some(Key::FieldInvalidRole),
        ("invalid_unit", _) => Some(Key::FieldInvalidUnit),
        (_, "must be at most 200 characters") => Some(Key::FieldTooLong200),
        (_, "must be 2 to 300 characters") => Some(Key::FieldLength2To300),
        (_, "must be 1 to 200 characters") => Some(Key::FieldLength1To200),
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
        _ => None,
    };
    match key {
        Some(key) => cat.text(key).to_string(),
        None => message.to_string(),
    }
}

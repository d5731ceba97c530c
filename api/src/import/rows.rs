//! From a row of text to a checked record: every cell parsed with the tolerant rules of
//! `shared::import` and `shared::person`, the current commune found (directly, or from an old
//! address through the conversion table), and every problem reported in Vietnamese with the
//! column it concerns. Nothing here writes; [`Context`] holds the reference data one job needs,
//! loaded once, so checking a row costs no database round trip.

use crate::auth::Actor;
use crate::auth::UnitPath;
use crate::db::entities::{
    admin_unit, admin_unit_conversion, association_unit, criteria_set, legacy_queue_item, period,
    target_group, village,
};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use shared::import::{
    AddressPreview, AddressPreviewStatus, ColumnKey, QueueReason, RowMessage, UnitRef, excel_text,
    pad_code, parse_gender, parse_member_role, unit_ref,
};
use shared::person::{
    Gender, PersonalId, check_birth, clean_name, normalize_phone, parse_flexible_date,
};
use shared::text::{clean, fold};
use shared::unit_names::{NameIndex, NameLevel, NameMatch};
use std::collections::{BTreeSet, HashMap, HashSet};
use uuid::Uuid;

/// A legacy unit, as the matcher needs it.
#[derive(Debug, Clone)]
struct Legacy {
    name: String,
    province: String,
    district: Option<String>,
}

/// Reference data for checking rows: current communes, the legacy list with its name keys, the
/// conversion table, villages and target groups.
#[derive(Debug, Default)]
pub struct Context {
    /// Current commune code → (province code, name).
    pub communes: HashMap<String, (String, String)>,
    /// Current province code → name.
    pub provinces: HashMap<String, String>,
    /// Current provinces by name.
    province_names: Option<NameIndex<(), String>>,
    /// Current communes by name, under their province.
    commune_names: Option<NameIndex<String, String>>,
    legacy: HashMap<(String, String), Legacy>,
    /// Legacy provinces by name (parent "").
    legacy_provinces: Option<NameIndex<String, String>>,
    /// Legacy districts by name, under their province.
    legacy_districts: Option<NameIndex<String, String>>,
    /// Legacy communes by name, under their district.
    legacy_communes: Option<NameIndex<String, String>>,
    /// Legacy communes by name, under their province (a row without its district).
    legacy_communes_by_province: Option<NameIndex<String, String>>,
    /// Legacy province → the current provinces its communes went to.
    legacy_province_successors: HashMap<String, BTreeSet<String>>,
    /// Old commune code → (new commune code, new province code, partly merged).
    conversion: HashMap<String, Vec<(String, String, bool)>>,
    /// Old district code → the new communes its communes went into.
    district_successors: HashMap<String, BTreeSet<String>>,
    /// (commune code, folded village name) → village id.
    villages: HashMap<(String, String), Uuid>,
    /// Target groups by code, names and accepted spellings ([`group_key`]) → code.
    target_groups: HashMap<String, String>,
    /// The import's default target group (a code), for rows without a recognised one.
    pub default_target_group: Option<String>,
    /// Target groups with a published criteria set (a registration needs one).
    groups_in_force: HashSet<String>,
    /// Periods by year.
    periods: HashMap<i32, period::Model>,
    /// (commune code, folded name) → active branch or committee of the commune (loaded when the
    /// file names reviewing units).
    reviewing_units: HashMap<(String, String), Uuid>,
    /// Village → its earliest active branch, the default reviewer where branches review (loaded
    /// when the file registers people).
    village_branches: HashMap<Uuid, Uuid>,
    today: chrono::NaiveDate,
}

/// What the registration columns of a row ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationCells {
    pub period_id: Uuid,
    pub year: i32,
    /// The reviewing unit as written, matched once the commune is known.
    pub reviewing_unit: Option<String>,
}

fn level_key(level: &str) -> &'static str {
    match level {
        "province" => "province",
        "district" => "district",
        _ => "commune",
    }
}

impl Context {
    /// Loads what checking rows needs, in a handful of queries; the legacy list and the
    /// conversion table only when the file has old-address columns, the Association units only
    /// when it registers people.
    pub async fn load(
        db: &impl ConnectionTrait,
        legacy: bool,
        registrations: bool,
    ) -> Result<Context, DbErr> {
        let mut ctx = Context {
            today: chrono::Utc::now().date_naive(),
            ..Default::default()
        };
        ctx.load_units(db, legacy).await?;
        ctx.load_villages(db, None).await?;
        for g in target_group::Entity::find()
            .filter(target_group::Column::Active.eq(true))
            .all(db)
            .await?
        {
            for key in group_keys(&g) {
                ctx.target_groups.insert(key, g.code.clone());
            }
        }
        ctx.load_periods_and_sets(db).await?;
        if registrations {
            ctx.load_reviewing_units(db, None).await?;
        }
        Ok(ctx)
    }

    /// What converting old addresses needs: the current communes, the legacy list and the
    /// conversion table (about 24,000 rows, read in three queries).
    pub async fn for_addresses(db: &impl ConnectionTrait) -> Result<Context, DbErr> {
        let mut ctx = Context {
            today: chrono::Utc::now().date_naive(),
            ..Default::default()
        };
        ctx.load_units(db, true).await?;
        Ok(ctx)
    }

    /// The active units (current ones only, unless `legacy`) and, with `legacy`, the conversion
    /// table.
    async fn load_units(&mut self, db: &impl ConnectionTrait, legacy: bool) -> Result<(), DbErr> {
        let ctx = self;
        let mut units = admin_unit::Entity::find().filter(admin_unit::Column::Status.eq("active"));
        if !legacy {
            units = units.filter(admin_unit::Column::Era.eq("current"));
        }
        let mut province_names = NameIndex::new(NameLevel::Province);
        let mut commune_names = NameIndex::new(NameLevel::Commune);
        let mut legacy_provinces = NameIndex::new(NameLevel::Province);
        let mut legacy_districts = NameIndex::new(NameLevel::District);
        let mut legacy_communes = NameIndex::new(NameLevel::Commune);
        let mut legacy_communes_by_province = NameIndex::new(NameLevel::Commune);
        for u in units.all(db).await? {
            if u.era == "current" {
                if u.level == "commune" {
                    commune_names.insert(u.province_code.clone(), &u.name, u.code.clone());
                    ctx.communes.insert(u.code, (u.province_code, u.name));
                } else if u.level == "province" {
                    province_names.insert((), &u.name, u.code.clone());
                    ctx.provinces.insert(u.code, u.name);
                }
                continue;
            }
            let level = level_key(&u.level);
            match level {
                "province" => legacy_provinces.insert(String::new(), &u.name, u.code.clone()),
                "district" => {
                    legacy_districts.insert(u.province_code.clone(), &u.name, u.code.clone())
                }
                _ => {
                    legacy_communes.insert(
                        u.district_code.clone().unwrap_or_default(),
                        &u.name,
                        u.code.clone(),
                    );
                    legacy_communes_by_province.insert(
                        u.province_code.clone(),
                        &u.name,
                        u.code.clone(),
                    );
                }
            }
            ctx.legacy.insert(
                (level.to_string(), u.code.clone()),
                Legacy {
                    name: u.name,
                    province: u.province_code,
                    district: u.district_code,
                },
            );
        }
        ctx.province_names = Some(province_names);
        ctx.commune_names = Some(commune_names);
        if legacy {
            ctx.legacy_provinces = Some(legacy_provinces);
            ctx.legacy_districts = Some(legacy_districts);
            ctx.legacy_communes = Some(legacy_communes);
            ctx.legacy_communes_by_province = Some(legacy_communes_by_province);
        }
        let conversions = if legacy {
            admin_unit_conversion::Entity::find().all(db).await?
        } else {
            Vec::new()
        };
        for c in conversions {
            if let Some((province, _)) = ctx.communes.get(&c.new_commune_code) {
                ctx.legacy_province_successors
                    .entry(c.old_province_code.clone())
                    .or_default()
                    .insert(province.clone());
            }
            ctx.district_successors
                .entry(c.old_district_code.clone())
                .or_default()
                .insert(c.new_commune_code.clone());
            ctx.conversion.entry(c.old_commune_code).or_default().push((
                c.new_commune_code,
                c.new_province_code,
                c.partly_merged,
            ));
        }
        Ok(())
    }

    /// What registering people of one commune needs (a held row, once its commune is chosen):
    /// periods, target groups in force, and the commune's villages and reviewing units.
    pub async fn for_commune(db: &impl ConnectionTrait, commune: &str) -> Result<Context, DbErr> {
        let mut ctx = Context {
            today: chrono::Utc::now().date_naive(),
            ..Default::default()
        };
        ctx.load_villages(db, Some(commune)).await?;
        ctx.load_periods_and_sets(db).await?;
        ctx.load_reviewing_units(db, Some(commune)).await?;
        Ok(ctx)
    }

    /// Active villages, of one commune or all.
    async fn load_villages(
        &mut self,
        db: &impl ConnectionTrait,
        commune: Option<&str>,
    ) -> Result<(), DbErr> {
        let mut query = village::Entity::find().filter(village::Column::Status.eq("active"));
        if let Some(c) = commune {
            query = query.filter(village::Column::CommuneCode.eq(c));
        }
        for v in query.all(db).await? {
            self.villages.insert((v.commune_code, fold(&v.name)), v.id);
        }
        Ok(())
    }

    /// Periods and the target groups with a published criteria set.
    async fn load_periods_and_sets(&mut self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        for set in criteria_set::Entity::find()
            .filter(criteria_set::Column::Status.eq("published"))
            .all(db)
            .await?
        {
            self.groups_in_force.insert(set.target_group);
        }
        for p in period::Entity::find().all(db).await? {
            self.periods.insert(p.year, p);
        }
        Ok(())
    }

    /// Active branches and committees, of one commune or all, oldest first.
    async fn load_reviewing_units(
        &mut self,
        db: &impl ConnectionTrait,
        commune: Option<&str>,
    ) -> Result<(), DbErr> {
        let mut query = association_unit::Entity::find()
            .filter(association_unit::Column::Status.eq("active"))
            .filter(association_unit::Column::Level.is_in(["branch", "committee"]));
        if let Some(c) = commune {
            query = query.filter(association_unit::Column::CommuneCode.eq(c));
        }
        let mut units = query.all(db).await?;
        units.sort_by_key(|u| u.created_at);
        for u in units {
            if let (Some(village), "branch") = (u.village_id, u.level.as_str()) {
                self.village_branches.entry(village).or_insert(u.id);
            }
            if let Some(commune) = u.commune_code {
                self.reviewing_units
                    .entry((commune, fold(&u.name)))
                    .or_insert(u.id);
            }
        }
        Ok(())
    }

    /// The target group a cell names (code, name, or an accepted spelling), as its code.
    pub fn target_group(&self, cell: &str) -> Option<String> {
        let key = group_key(cell);
        self.target_groups.get(&key).cloned().or_else(|| {
            // "Nhóm nông dân", "Đối tượng: công nhân".
            ["nhom doi tuong ", "doi tuong ", "nhom "]
                .iter()
                .find_map(|p| key.strip_prefix(p))
                .and_then(|rest| self.target_groups.get(rest).cloned())
        })
    }

    /// Whether a target group has a published criteria set.
    pub fn group_in_force(&self, group: &str) -> bool {
        self.groups_in_force.contains(group)
    }

    /// The day the context was loaded.
    pub fn today(&self) -> chrono::NaiveDate {
        self.today
    }

    /// The period of a year.
    pub fn period(&self, id: Uuid) -> Option<&period::Model> {
        self.periods.values().find(|p| p.id == id)
    }

    /// The active branch or committee of a commune with this name (folded).
    pub fn reviewing_unit(&self, commune: &str, name: &str) -> Option<Uuid> {
        self.reviewing_units
            .get(&(commune.to_string(), fold(name)))
            .copied()
    }

    /// Who reviews a registration when the file does not say: the village's branch where the
    /// period has branches review, else the commune's Association unit (as for one registration).
    pub fn default_reviewer(
        &self,
        period: &period::Model,
        commune: &str,
        village: Option<Uuid>,
    ) -> Uuid {
        if period.reviewer_level == "branch"
            && let Some(branch) = village.and_then(|v| self.village_branches.get(&v))
        {
            return *branch;
        }
        migrations::m20251128_000004_registry::association_unit_id("commune", commune)
    }

    fn legacy_unit(&self, level: &str, code: &str) -> Option<&Legacy> {
        self.legacy.get(&(level.to_string(), code.to_string()))
    }

    /// Finds a legacy unit by code or name under `parent` ("" for provinces, a province code
    /// for districts, a district code for communes, or a province code for communes with
    /// `by_province`), as [`NameIndex`] compares names.
    fn find_legacy(&self, level: &'static str, parent: &str, cell: &str, width: usize) -> Lookup {
        self.find_legacy_in(level, parent, cell, width, false)
    }

    fn find_legacy_in(
        &self,
        level: &'static str,
        parent: &str,
        cell: &str,
        width: usize,
        by_province: bool,
    ) -> Lookup {
        match unit_ref(cell, width) {
            None => Lookup::Missing,
            Some(UnitRef::Code(code)) => {
                let unit = self.legacy_unit(level, &code);
                if parent.is_empty() {
                    return if unit.is_some() {
                        Lookup::Found(code)
                    } else {
                        Lookup::Unknown
                    };
                }
                // Digits under a stated parent may also be a numbered unit's name ("Quận 1"
                // written "1"): both readings that fit and differ are an ambiguity.
                let fits = unit.is_some_and(|u| match (level, by_province) {
                    ("district", _) | (_, true) => u.province == parent,
                    _ => u.district.as_deref() == Some(parent),
                });
                match (
                    self.find_legacy_name(level, parent, cell, by_province),
                    unit,
                ) {
                    (Lookup::Found(named), _) if fits && named != code => {
                        Lookup::Ambiguous(vec![code, named])
                    }
                    (Lookup::Found(named), _) => Lookup::Found(named),
                    (_, Some(_)) => Lookup::Found(code),
                    _ => Lookup::Unknown,
                }
            }
            Some(UnitRef::Name(_)) => self.find_legacy_name(level, parent, cell, by_province),
        }
    }

    /// A legacy unit by name only (a cell of digits read as a ward's number).
    fn find_legacy_name(
        &self,
        level: &'static str,
        parent: &str,
        cell: &str,
        by_province: bool,
    ) -> Lookup {
        let index = match (level, by_province) {
            ("province", _) => &self.legacy_provinces,
            ("district", _) => &self.legacy_districts,
            (_, false) => &self.legacy_communes,
            (_, true) => &self.legacy_communes_by_province,
        };
        match index.as_ref().map(|i| i.find(&parent.to_string(), cell)) {
            Some(NameMatch::Found(code)) => Lookup::Found(code),
            Some(NameMatch::Ambiguous(codes)) => Lookup::Ambiguous(codes),
            _ => Lookup::Unknown,
        }
    }

    /// A legacy unit looked up under each of several parents: found only when exactly one
    /// parent has it.
    fn find_legacy_under_any(
        &self,
        level: &'static str,
        parents: &[String],
        cell: &str,
        width: usize,
        by_province: bool,
    ) -> Lookup {
        let mut found = Vec::new();
        for parent in parents {
            match self.find_legacy_in(level, parent, cell, width, by_province) {
                Lookup::Found(code) => found.push(code),
                Lookup::Ambiguous(codes) => found.extend(codes),
                Lookup::Missing => return Lookup::Missing,
                Lookup::Unknown => {}
            }
        }
        found.sort();
        found.dedup();
        match found.len() {
            0 => Lookup::Unknown,
            1 => Lookup::Found(found.remove(0)),
            _ => Lookup::Ambiguous(found),
        }
    }

    /// The legacy provinces whose communes went (at least in part) into a current province.
    fn legacy_provinces_into(&self, province: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .legacy_province_successors
            .iter()
            .filter(|(_, now)| now.contains(province))
            .map(|(old, _)| old.clone())
            .collect();
        out.sort();
        out
    }

    /// "Xã Minh Quân (mã 04567), Xã Minh Quán (mã 04564)": the units a name could mean.
    fn legacy_names(&self, level: &str, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| match self.legacy_unit(level, c) {
                Some(u) => format!("{} (mã {c})", u.name),
                None => format!("mã {c}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A current province by code or name.
    pub fn find_province(&self, cell: &str) -> Lookup {
        match unit_ref(cell, 2) {
            None => Lookup::Missing,
            Some(UnitRef::Code(code)) if self.provinces.contains_key(&code) => Lookup::Found(code),
            Some(UnitRef::Code(_)) => Lookup::Unknown,
            Some(UnitRef::Name(_)) => match self.province_names.as_ref().map(|i| i.find(&(), cell))
            {
                Some(NameMatch::Found(code)) => Lookup::Found(code),
                Some(NameMatch::Ambiguous(codes)) => Lookup::Ambiguous(codes),
                _ => Lookup::Unknown,
            },
        }
    }

    /// A current commune of a province by name.
    fn find_commune_in(&self, province: &str, cell: &str) -> Lookup {
        match self
            .commune_names
            .as_ref()
            .map(|i| i.find(&province.to_string(), cell))
        {
            Some(NameMatch::Found(code)) => Lookup::Found(code),
            Some(NameMatch::Ambiguous(codes)) => Lookup::Ambiguous(codes),
            _ => Lookup::Unknown,
        }
    }

    /// The village of a commune with this name (folded), if registered and active.
    pub fn village(&self, commune: &str, name: &str) -> Option<Uuid> {
        self.villages
            .get(&(commune.to_string(), fold(name)))
            .copied()
    }

    /// The current province of a commune.
    pub fn province_of(&self, commune: &str) -> Option<&str> {
        self.communes.get(commune).map(|(p, _)| p.as_str())
    }
}

/// A target group as written, for matching: folded, punctuation and "và" read as spaces.
pub fn group_key(cell: &str) -> String {
    let spaced: String = cell
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    fold(&spaced)
        .split(' ')
        .filter(|w| *w != "va")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keys a target group is recognised by: its code, names, order ("Nhóm 1") and the usual
/// spellings of `group_aliases`.
pub fn group_keys(g: &target_group::Model) -> Vec<String> {
    [g.name_vi.as_str(), g.name_en.as_str(), g.code.as_str()]
        .into_iter()
        .chain(group_aliases(&g.code).iter().copied())
        .map(group_key)
        .chain(std::iter::once(group_key(&format!(
            "nhom {}",
            g.sort_order
        ))))
        .collect()
}

/// Spellings of the three known target groups seen in localities' files (docs/IMPORT.md lists
/// them); a group added later is matched by its code and names only.
fn group_aliases(code: &str) -> &'static [&'static str] {
    match code {
        "farmer" => &[
            "Nông dân",
            "Lao động nông thôn",
            "Nông dân, lao động nông thôn",
            "Nông dân và lao động nông thôn",
            "ND",
            "NĐ",
            "Nông nghiệp",
            "farmers",
        ],
        "worker" => &[
            "Công nhân",
            "Lao động thủ công",
            "Công nhân, lao động",
            "Công nhân, lao động thủ công",
            "Công nhân và lao động thủ công",
            "Công nhân, lao động thủ công nghiệp",
            "CN",
            "workers",
        ],
        "official" => &[
            "Cán bộ",
            "Công chức",
            "Viên chức",
            "Cán bộ, công chức",
            "Cán bộ, công chức, viên chức",
            "Cán bộ, công chức, viên chức, trí thức",
            "Cán bộ, công chức, viên chức, lao động trí thức",
            "Cán bộ công chức viên chức",
            "Trí thức",
            "Lao động trí thức",
            "CBCCVC",
            "CB, CC, VC",
            "CBCC",
            "officials",
        ],
        _ => &[],
    }
}

/// What a unit cell names.
pub enum Lookup {
    Missing,
    Found(String),
    Unknown,
    Ambiguous(Vec<String>),
}

/// Where a row's person lives now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A current commune (and its province).
    Current { commune: String, province: String },
    /// An old address that needs an officer's choice.
    Queue(QueueTicket),
}

/// What the legacy-address queue keeps about an old address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTicket {
    pub reason: QueueReason,
    pub province: String,
    pub legacy_commune_code: Option<String>,
    pub legacy_address: String,
    pub candidates: Vec<String>,
}

/// Who a held record is, for finding its queue item again: the ID number's blind index, else
/// the external id (within one API client's ids when a client sent it), else a keyed hash of
/// the name, birth year and old address as written.
pub struct HeldIdentity<'a> {
    pub personal_id: Option<&'a str>,
    pub client_id: Option<Uuid>,
    pub external_id: Option<&'a str>,
    pub full_name: &'a str,
    pub birth_year: i32,
    pub legacy_address: &'a str,
}

impl HeldIdentity<'_> {
    /// The queue's `match_key`.
    pub fn key(&self, pii: &crate::crypto::PiiKeys) -> String {
        let external = self.external_id.map(str::trim).filter(|e| !e.is_empty());
        match (self.personal_id, self.client_id, external) {
            (Some(id), _, _) => pii.blind_index(id),
            (None, Some(client), Some(ext)) => format!("api:{client}:{ext}"),
            (None, None, Some(ext)) => format!("ext:{ext}"),
            _ => format!(
                "row:{}",
                &pii.blind_index(&format!(
                    "{}|{}|{}",
                    fold(self.full_name),
                    self.birth_year,
                    fold(self.legacy_address)
                ))[..60]
            ),
        }
    }
}

impl QueueTicket {
    /// A new pending queue item for this ticket, holding a record (`row_data`, sealed by the
    /// caller) that `match_key` finds again; `person_id` is the existing record it concerns.
    pub fn item(
        &self,
        full_name: String,
        row_data: String,
        match_key: String,
        person_id: Option<Uuid>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<legacy_queue_item::ActiveModel, serde_json::Error> {
        use sea_orm::Set;
        Ok(legacy_queue_item::ActiveModel {
            id: Set(Uuid::new_v4()),
            reason: Set(self.reason.as_str().to_string()),
            status: Set("pending".into()),
            province_code: Set(self.province.clone()),
            full_name: Set(full_name),
            legacy_address: Set(self.legacy_address.chars().take(600).collect()),
            legacy_commune_code: Set(self.legacy_commune_code.clone()),
            candidates: Set(serde_json::to_string(&self.candidates)?),
            import_job_id: Set(None),
            row_no: Set(None),
            row_data: Set(Some(row_data)),
            match_key: Set(Some(match_key)),
            person_id: Set(person_id),
            restructuring_id: Set(None),
            resolved_commune_code: Set(None),
            resolved_by: Set(None),
            resolved_at: Set(None),
            created_at: Set(now),
        })
    }
}

/// A checked row: the person's fields, ready to store (or to hold in the queue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: Option<chrono::NaiveDate>,
    pub birth_year: i32,
    /// The 12 digits (kept in memory only; stored encrypted).
    pub personal_id: Option<String>,
    pub phone: Option<String>,
    /// The village name as written, matched once the commune is known.
    pub village: Option<String>,
    pub occupation: Option<String>,
    pub target_group: Option<String>,
    /// The target group is the import's default, not the row's: it never replaces a stored one.
    #[serde(default)]
    pub target_group_default: bool,
    pub workplace: Option<String>,
    pub external_id: Option<String>,
    pub membership: Option<MembershipCells>,
    /// The period to register the person for, when the file has a registration year.
    #[serde(default)]
    pub registration: Option<RegistrationCells>,
    /// Which columns the file has: an empty or absent cell never erases a stored value.
    pub given: Vec<ColumnKey>,
}

/// Membership columns of a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipCells {
    pub joined_on: Option<chrono::NaiveDate>,
    pub card_number: Option<String>,
    pub role: String,
}

/// A row after checking.
#[derive(Debug, Clone)]
pub struct Checked {
    pub row: u32,
    /// Problems that keep the row from being written.
    pub errors: Vec<RowMessage>,
    /// Remarks on a valid row (an old address converted, a value repaired).
    pub notes: Vec<RowMessage>,
    pub record: Option<Record>,
    pub address: Option<Address>,
}

fn msg(column: ColumnKey, code: &str, message: impl Into<String>) -> RowMessage {
    RowMessage {
        column: column.as_str().to_string(),
        code: code.to_string(),
        message: message.into(),
    }
}

/// The Vietnamese message of a rule of `shared::person`, by its code.
fn vi(code: &str) -> &'static str {
    match code {
        "not_12_digits" => "Số định danh cá nhân phải có đúng 12 chữ số",
        "unknown_province" => {
            "Số định danh cá nhân phải bắt đầu bằng 0 và mã tỉnh nơi đăng ký khai sinh (001 … 096)"
        }
        "invalid_century_digit" => {
            "Chữ số thứ 4 của số định danh (thế kỷ, giới tính) phải từ 0 đến 5"
        }
        "gender_mismatch" => "Giới tính không khớp với số định danh cá nhân",
        "birth_year_mismatch" => "Năm sinh không khớp với số định danh cá nhân",
        "invalid_phone" => "Số điện thoại không phải số di động hoặc cố định Việt Nam",
        "name_too_short" => "Họ và tên phải có ít nhất 2 ký tự",
        "name_too_long" => "Họ và tên dài quá 100 ký tự",
        "name_invalid_characters" => {
            "Họ và tên chỉ được có chữ cái, dấu cách, dấu nháy, gạch nối và dấu chấm"
        }
        "birth_required" => "Thiếu ngày sinh hoặc năm sinh",
        "birth_in_future" => "Ngày sinh ở tương lai",
        "birth_before_1900" => "Ngày sinh trước năm 1900",
        _ => "Giá trị không hợp lệ",
    }
}

/// The cells of a row by template column.
pub struct Cells<'a> {
    pub mapping: &'a [Option<ColumnKey>],
    pub cells: &'a [String],
}

impl Cells<'_> {
    fn get(&self, key: ColumnKey) -> Option<&str> {
        self.mapping
            .iter()
            .position(|m| *m == Some(key))
            .and_then(|i| self.cells.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    fn has(&self, key: ColumnKey) -> bool {
        self.mapping.contains(&Some(key))
    }
}

/// Checks one row against the rules and the reference data, and the actor's scope.
pub fn check_row(ctx: &Context, actor: &Actor, row: u32, cells: &Cells<'_>) -> Checked {
    let mut errors = Vec::new();
    let mut notes = Vec::new();

    let full_name = match cells.get(ColumnKey::FullName).map(clean_name) {
        None => {
            errors.push(msg(ColumnKey::FullName, "required", "Thiếu họ và tên"));
            None
        }
        Some(Err(e)) => {
            errors.push(msg(ColumnKey::FullName, e.code(), vi(e.code())));
            None
        }
        Some(Ok(n)) => Some(n),
    };
    let gender = match cells.get(ColumnKey::Gender) {
        None => {
            errors.push(msg(ColumnKey::Gender, "required", "Thiếu giới tính"));
            None
        }
        Some(g) => match parse_gender(g) {
            Some(g) => Some(g),
            None => {
                errors.push(msg(
                    ColumnKey::Gender,
                    "invalid_gender",
                    format!("Giới tính \"{g}\" không hợp lệ: ghi Nam hoặc Nữ"),
                ));
                None
            }
        },
    };
    let birth = match cells.get(ColumnKey::Birth) {
        None => {
            errors.push(msg(
                ColumnKey::Birth,
                "birth_required",
                vi("birth_required"),
            ));
            None
        }
        Some(raw) => match parse_flexible_date(&excel_text(raw)) {
            None => {
                errors.push(msg(
                    ColumnKey::Birth,
                    "invalid_date",
                    format!(
                        "Ngày sinh \"{raw}\" không đọc được: ghi dd/mm/yyyy, yyyy-mm-dd hoặc năm sinh"
                    ),
                ));
                None
            }
            Some(d) => match check_birth(d.date(), Some(d.year()), ctx.today) {
                Ok(year) => Some((d.date(), year)),
                Err(e) => {
                    errors.push(msg(ColumnKey::Birth, e.code(), vi(e.code())));
                    None
                }
            },
        },
    };
    let personal_id = match cells.get(ColumnKey::PersonalId) {
        None => None,
        Some(raw) => match PersonalId::parse(&excel_text(raw)) {
            Err(e) => {
                errors.push(msg(ColumnKey::PersonalId, e.code(), vi(e.code())));
                None
            }
            Ok(id) => {
                if let (Some(g), Some((_, year))) = (gender, birth)
                    && let Err(e) = id.check_against(g, year)
                {
                    errors.push(msg(ColumnKey::PersonalId, e.code(), vi(e.code())));
                }
                Some(id)
            }
        },
    };
    let phone = match cells.get(ColumnKey::Phone) {
        None => None,
        Some(raw) => match normalize_phone(&excel_text(raw)) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(msg(ColumnKey::Phone, e.code(), vi(e.code())));
                None
            }
        },
    };
    let mut target_group_default = false;
    let target_group = match cells.get(ColumnKey::TargetGroup) {
        None => {
            target_group_default = ctx.default_target_group.is_some();
            ctx.default_target_group.clone()
        }
        Some(g) => match ctx.target_group(g) {
            Some(code) => Some(code),
            None => match &ctx.default_target_group {
                Some(default) => {
                    notes.push(msg(
                        ColumnKey::TargetGroup,
                        "default_target_group",
                        format!(
                            "Không nhận ra nhóm đối tượng \"{g}\": dùng nhóm mặc định của lần nhập ({default})"
                        ),
                    ));
                    target_group_default = true;
                    Some(default.clone())
                }
                None => {
                    errors.push(msg(
                        ColumnKey::TargetGroup,
                        "unknown_target_group",
                        format!(
                            "Không nhận ra nhóm đối tượng \"{g}\": ghi Nông dân, Công nhân hoặc Cán bộ, công chức, viên chức (hoặc chọn nhóm mặc định khi nhập)"
                        ),
                    ));
                    None
                }
            },
        },
    };
    let text = |key: ColumnKey, max: usize, errors: &mut Vec<RowMessage>| {
        let value = cells.get(key).map(clean);
        if let Some(v) = &value
            && v.chars().count() > max
        {
            errors.push(msg(key, "too_long", format!("Dài quá {max} ký tự")));
        }
        value
    };
    let occupation = text(ColumnKey::Occupation, 200, &mut errors);
    let workplace = text(ColumnKey::Workplace, 300, &mut errors);
    let external_id = text(ColumnKey::ExternalId, 100, &mut errors).map(|v| excel_text(&v));
    let village = text(ColumnKey::Village, 200, &mut errors);

    let membership = if cells.get(ColumnKey::MemberJoinedOn).is_some()
        || cells.get(ColumnKey::MemberCardNumber).is_some()
        || cells.get(ColumnKey::MemberRole).is_some()
    {
        let joined_on = match cells.get(ColumnKey::MemberJoinedOn) {
            None => None,
            Some(raw) => match parse_flexible_date(&excel_text(raw)).and_then(|d| d.date()) {
                Some(d) if d <= ctx.today => Some(d),
                _ => {
                    errors.push(msg(
                        ColumnKey::MemberJoinedOn,
                        "invalid_date",
                        format!("Ngày vào Hội \"{raw}\" không hợp lệ: ghi dd/mm/yyyy"),
                    ));
                    None
                }
            },
        };
        let role = match parse_member_role(cells.get(ColumnKey::MemberRole).unwrap_or("")) {
            Some(r) => r.to_string(),
            None => {
                errors.push(msg(
                    ColumnKey::MemberRole,
                    "invalid_role",
                    "Chức vụ phải là Chủ tịch, Phó chủ tịch, Ủy viên, Chi hội trưởng hoặc Hội viên",
                ));
                String::new()
            }
        };
        let card_number =
            text(ColumnKey::MemberCardNumber, 50, &mut errors).map(|v| excel_text(&v));
        Some(MembershipCells {
            joined_on,
            card_number,
            role,
        })
    } else {
        None
    };

    let registration = registration_cells(ctx, cells, &mut errors);

    let address = address_of(
        ctx,
        cells,
        actor.unit.province.as_deref(),
        &mut errors,
        &mut notes,
        &mut None,
    );
    if let Some(address) = &address {
        check_scope(ctx, actor, address, &mut errors);
    }

    if let (Some(Address::Current { commune, .. }), Some(r)) = (&address, &registration)
        && let Some(unit) = &r.reviewing_unit
        && ctx.reviewing_unit(commune, unit).is_none()
    {
        errors.push(msg(
            ColumnKey::ReviewingUnit,
            "unknown_reviewing_unit",
            format!("Xã không có chi hội hoặc ban khuyến học \"{unit}\" đang hoạt động"),
        ));
    }

    let given: Vec<ColumnKey> = cells
        .mapping
        .iter()
        .flatten()
        .copied()
        .filter(|k| cells.has(*k))
        .collect();
    let record = match (full_name, gender, birth) {
        (Some(full_name), Some(gender), Some((birth_date, birth_year))) if errors.is_empty() => {
            Some(Record {
                full_name,
                gender,
                birth_date,
                birth_year,
                personal_id: personal_id.map(|p| p.as_str().to_string()),
                phone,
                village,
                occupation,
                target_group,
                target_group_default,
                workplace,
                external_id,
                membership,
                registration,
                given,
            })
        }
        _ => None,
    };
    Checked {
        row,
        errors,
        notes,
        record,
        address,
    }
}

/// The registration columns: a year whose period is open for registration today, and the
/// reviewing unit as written. A reviewing unit without a year is an error.
fn registration_cells(
    ctx: &Context,
    cells: &Cells<'_>,
    errors: &mut Vec<RowMessage>,
) -> Option<RegistrationCells> {
    let unit = cells.get(ColumnKey::ReviewingUnit).map(clean);
    if unit.as_deref().is_some_and(|u| u.chars().count() > 200) {
        errors.push(msg(
            ColumnKey::ReviewingUnit,
            "too_long",
            "Dài quá 200 ký tự",
        ));
        return None;
    }
    let Some(raw) = cells.get(ColumnKey::RegistrationYear) else {
        if unit.is_some() {
            errors.push(msg(
                ColumnKey::RegistrationYear,
                "required",
                "Có đơn vị xét thì phải ghi năm đăng ký",
            ));
        }
        return None;
    };
    let text = excel_text(raw);
    let Some(year) = text
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
    else {
        errors.push(msg(
            ColumnKey::RegistrationYear,
            "invalid_year",
            format!("Năm đăng ký \"{raw}\" không hợp lệ: ghi năm, ví dụ 2026"),
        ));
        return None;
    };
    let Some(period) = ctx.periods.get(&year) else {
        errors.push(msg(
            ColumnKey::RegistrationYear,
            "unknown_period",
            format!("Chưa có kỳ đăng ký danh hiệu năm {year}"),
        ));
        return None;
    };
    if let Some(closed) = registration_closed(period, ctx.today) {
        errors.push(closed);
        return None;
    }
    Some(RegistrationCells {
        period_id: period.id,
        year,
        reviewing_unit: unit,
    })
}

/// The error of a registration asked for on `today` outside the period's registration window.
pub fn registration_closed(period: &period::Model, today: chrono::NaiveDate) -> Option<RowMessage> {
    (today < period.registration_opens || today > period.registration_closes).then(|| {
        msg(
            ColumnKey::RegistrationYear,
            "registration_closed",
            format!(
                "{} nhận đăng ký từ {} đến {}",
                period.name,
                period.registration_opens.format("%d/%m/%Y"),
                period.registration_closes.format("%d/%m/%Y")
            ),
        )
    })
}

/// Refuses rows outside the actor's unit.
fn check_scope(ctx: &Context, actor: &Actor, address: &Address, errors: &mut Vec<RowMessage>) {
    let inside = match address {
        Address::Current { commune, province } => {
            actor.unit.contains(&UnitPath::commune(province, commune))
        }
        Address::Queue(ticket) => match (&actor.unit.province, &actor.unit.commune) {
            (None, _) => true,
            (Some(p), None) => *p == ticket.province,
            (Some(p), Some(c)) => {
                *p == ticket.province
                    && (ticket.candidates.is_empty() || ticket.candidates.contains(c))
            }
        },
    };
    if !inside {
        let column = match address {
            Address::Current { .. } if ctx.communes.is_empty() => ColumnKey::CommuneCode,
            Address::Current { .. } => ColumnKey::CommuneCode,
            Address::Queue(_) => ColumnKey::LegacyCommune,
        };
        errors.push(msg(
            column,
            "outside_scope",
            "Địa chỉ nằm ngoài đơn vị của bạn: chỉ nhập được người thuộc đơn vị mình quản lý",
        ));
    }
}

/// The current commune of a row, under one rule that never guesses across units: a current
/// commune given by code, or by name inside the province stated on the row (else the
/// importing officer's province); otherwise the old address through the conversion table,
/// a name resolved only inside its stated province and district. A row giving both addresses
/// must have them agree.
fn address_of(
    ctx: &Context,
    cells: &Cells<'_>,
    scope_province: Option<&str>,
    errors: &mut Vec<RowMessage>,
    notes: &mut Vec<RowMessage>,
    old: &mut Option<String>,
) -> Option<Address> {
    let has_old = cells.get(ColumnKey::LegacyProvince).is_some()
        || cells.get(ColumnKey::LegacyDistrict).is_some()
        || cells.get(ColumnKey::LegacyCommune).is_some();
    if cells.get(ColumnKey::CommuneCode).is_none() {
        if let Some(p) = cells.get(ColumnKey::Province)
            && !has_old
        {
            errors.push(msg(
                ColumnKey::CommuneCode,
                "address_required",
                format!("Có tỉnh \"{p}\" nhưng thiếu xã/phường: ghi mã hoặc tên xã hiện hành"),
            ));
            return None;
        }
        return legacy_address_of(ctx, cells, scope_province, errors, notes, old);
    }
    let current = current_address_of(ctx, cells, scope_province, errors)?;
    if has_old {
        // Both addresses: the old one must lead to the same commune (or list it as a candidate).
        let mut old_errors = Vec::new();
        let mut old_notes = Vec::new();
        let converted = legacy_address_of(
            ctx,
            cells,
            scope_province,
            &mut old_errors,
            &mut old_notes,
            old,
        );
        let Address::Current { commune, .. } = &current else {
            return None;
        };
        let name = |c: &str| {
            ctx.communes
                .get(c)
                .map(|(_, n)| format!("{n} (mã {c})"))
                .unwrap_or_else(|| c.to_string())
        };
        match converted {
            Some(Address::Current {
                commune: from_old, ..
            }) if from_old != *commune => {
                errors.push(msg(
                    ColumnKey::CommuneCode,
                    "address_conflict",
                    format!(
                        "Địa chỉ mới ({}) không khớp địa chỉ cũ, theo bảng chuyển đổi là {}: sửa một trong hai",
                        name(commune),
                        name(&from_old)
                    ),
                ));
                return None;
            }
            Some(Address::Queue(t))
                if !t.candidates.is_empty() && !t.candidates.contains(commune) =>
            {
                errors.push(msg(
                    ColumnKey::CommuneCode,
                    "address_conflict",
                    format!(
                        "Địa chỉ mới ({}) không thuộc các xã mới của địa chỉ cũ: {}",
                        name(commune),
                        t.candidates
                            .iter()
                            .map(|c| name(c))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
                return None;
            }
            Some(_) => {}
            None => notes.push(msg(
                ColumnKey::LegacyCommune,
                "legacy_not_checked",
                "Không đọc được địa chỉ cũ; dùng địa chỉ mới",
            )),
        }
    }
    Some(current)
}

/// The current commune given on the row: a 5-digit code, or a name inside the row's province
/// (or the officer's).
fn current_address_of(
    ctx: &Context,
    cells: &Cells<'_>,
    scope_province: Option<&str>,
    errors: &mut Vec<RowMessage>,
) -> Option<Address> {
    let raw = cells.get(ColumnKey::CommuneCode)?;
    let stated = match cells.get(ColumnKey::Province) {
        None => None,
        Some(cell) => match ctx.find_province(cell) {
            Lookup::Found(code) => Some(code),
            Lookup::Ambiguous(_) | Lookup::Unknown | Lookup::Missing => {
                errors.push(msg(
                    ColumnKey::Province,
                    "unknown_province",
                    format!("Không có tỉnh/thành phố hiện hành \"{cell}\" (34 tỉnh, thành phố từ 01/07/2025)"),
                ));
                return None;
            }
        },
    };
    // A short number may be a numbered ward of the row's province rather than a code.
    let ward = match (pad_code(raw, 5), &stated) {
        (Some(_), Some(p)) => match ctx.find_commune_in(p, raw) {
            Lookup::Found(code) => Some(code),
            _ => None,
        },
        _ => None,
    };
    if let Some(named) = ward {
        let code = pad_code(raw, 5).unwrap_or_default();
        if code != named && ctx.province_of(&code) == stated.as_deref() {
            errors.push(msg(
                ColumnKey::CommuneCode,
                "ambiguous_commune",
                format!("\"{raw}\" có thể là mã xã {code} hoặc tên xã mã {named}: ghi mã 5 chữ số hoặc tên đầy đủ"),
            ));
            return None;
        }
        let province = stated.unwrap_or_default();
        return Some(Address::Current {
            commune: named,
            province,
        });
    }
    if let Some(code) = pad_code(raw, 5) {
        let Some((province, _)) = ctx.communes.get(&code) else {
            errors.push(msg(
                ColumnKey::CommuneCode,
                "unknown_commune",
                format!("Không có xã/phường/đặc khu hiện hành mã {code}"),
            ));
            return None;
        };
        if let Some(p) = &stated
            && p != province
        {
            errors.push(msg(
                ColumnKey::CommuneCode,
                "province_mismatch",
                format!(
                    "Xã mã {code} thuộc {}, không thuộc {} đã ghi ở cột tỉnh",
                    ctx.provinces
                        .get(province)
                        .map_or(province.as_str(), String::as_str),
                    ctx.provinces.get(p).map_or(p.as_str(), String::as_str)
                ),
            ));
            return None;
        }
        return Some(Address::Current {
            commune: code,
            province: province.clone(),
        });
    }
    let Some(province) = stated.or_else(|| scope_province.map(str::to_string)) else {
        errors.push(msg(
            ColumnKey::Province,
            "province_required",
            format!(
                "Xã \"{raw}\" ghi bằng tên: cần cột tỉnh/thành phố (mới) để biết xã thuộc tỉnh nào, hoặc ghi mã xã (5 chữ số)"
            ),
        ));
        return None;
    };
    let province_name = ctx
        .provinces
        .get(&province)
        .map_or(province.as_str(), String::as_str);
    match ctx.find_commune_in(&province, raw) {
        Lookup::Found(code) => Some(Address::Current {
            commune: code,
            province,
        }),
        Lookup::Ambiguous(codes) => {
            let names: Vec<String> = codes
                .iter()
                .map(|c| {
                    let name = ctx.communes.get(c).map_or("", |(_, n)| n.as_str());
                    format!("{name} (mã {c})")
                })
                .collect();
            errors.push(msg(
                ColumnKey::CommuneCode,
                "ambiguous_commune",
                format!(
                    "\"{raw}\" có thể là {}: ghi tên đầy đủ có dấu hoặc mã xã",
                    names.join(", ")
                ),
            ));
            None
        }
        Lookup::Unknown | Lookup::Missing => {
            errors.push(msg(
                ColumnKey::CommuneCode,
                "unknown_commune",
                format!("{province_name} không có xã/phường/đặc khu hiện hành \"{raw}\""),
            ));
            None
        }
    }
}

/// The current commune of an old address, through the conversion table.
fn legacy_address_of(
    ctx: &Context,
    cells: &Cells<'_>,
    scope_province: Option<&str>,
    errors: &mut Vec<RowMessage>,
    notes: &mut Vec<RowMessage>,
    old: &mut Option<String>,
) -> Option<Address> {
    let province_cell = cells.get(ColumnKey::LegacyProvince);
    let district_cell = cells.get(ColumnKey::LegacyDistrict);
    let commune_cell = cells.get(ColumnKey::LegacyCommune);
    if province_cell.is_none() && district_cell.is_none() && commune_cell.is_none() {
        errors.push(msg(
            ColumnKey::CommuneCode,
            "address_required",
            "Thiếu địa chỉ: ghi mã xã hiện hành, hoặc tỉnh, huyện, xã cũ",
        ));
        return None;
    }
    let written = [province_cell, district_cell, commune_cell]
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    // The old commune, by code alone or by name under its district or province.
    let commune_by_code = commune_cell.and_then(|c| pad_code(c, 5)).filter(|_| {
        commune_cell.is_some_and(|c| excel_text(c).bytes().all(|b| b.is_ascii_digit()))
    });
    // Without an old province, the old provinces of the officer's current province stand for
    // it, so a name is still only looked up inside the officer's own territory.
    let province_parents: Vec<String> = match province_cell {
        Some(_) => Vec::new(),
        None => scope_province
            .map(|p| ctx.legacy_provinces_into(p))
            .unwrap_or_default(),
    };
    let province = match province_cell {
        None => None,
        Some(cell) => match ctx.find_legacy("province", "", cell, 2) {
            Lookup::Found(code) => Some(code),
            _ => {
                errors.push(msg(
                    ColumnKey::LegacyProvince,
                    "unknown_legacy_province",
                    format!("Không có tỉnh cũ \"{cell}\" (trước 01/07/2025)"),
                ));
                return None;
            }
        },
    };
    let district = match district_cell {
        None => None,
        Some(cell) => {
            let lookup = match &province {
                Some(p) => ctx.find_legacy("district", p, cell, 3),
                None => match unit_ref(cell, 3) {
                    Some(UnitRef::Code(code)) if ctx.legacy_unit("district", &code).is_some() => {
                        Lookup::Found(code)
                    }
                    Some(UnitRef::Name(_)) if !province_parents.is_empty() => {
                        ctx.find_legacy_under_any("district", &province_parents, cell, 3, false)
                    }
                    _ => Lookup::Unknown,
                },
            };
            match lookup {
                Lookup::Found(code) => Some(code),
                Lookup::Ambiguous(codes) => {
                    errors.push(msg(
                        ColumnKey::LegacyDistrict,
                        "ambiguous_legacy_district",
                        format!(
                            "Huyện cũ \"{cell}\" có thể là {}: ghi tên đầy đủ có dấu, kèm loại (Quận, Huyện, Thị xã, Thành phố), hoặc mã huyện",
                            ctx.legacy_names("district", &codes)
                        ),
                    ));
                    return None;
                }
                _ => {
                    errors.push(msg(
                        ColumnKey::LegacyDistrict,
                        "unknown_legacy_district",
                        if province.is_some() {
                            format!("Tỉnh cũ không có huyện \"{cell}\"")
                        } else {
                            format!("Không xác định được huyện cũ \"{cell}\": ghi kèm tỉnh cũ")
                        },
                    ));
                    return None;
                }
            }
        }
    };
    if let (Some(p), Some(d)) = (&province, &district)
        && ctx
            .legacy_unit("district", d)
            .is_some_and(|u| u.province != *p)
    {
        errors.push(msg(
            ColumnKey::LegacyDistrict,
            "legacy_mismatch",
            format!("Huyện cũ mã {d} không thuộc tỉnh cũ đã ghi"),
        ));
        return None;
    }
    let Some(commune_cell) = commune_cell else {
        errors.push(msg(
            ColumnKey::LegacyCommune,
            "legacy_commune_required",
            "Thiếu xã cũ",
        ));
        return None;
    };
    // A short number is also a numbered ward's name ("Phường 5" written "5") as well as a code
    // that lost its zeros: when both readings fit the row's district (or province) and differ,
    // nothing is guessed.
    let ward = match (&commune_by_code, &district, &province) {
        (Some(_), Some(d), _) => ctx.find_legacy_name("commune", d, commune_cell, false),
        (Some(_), None, Some(p)) => ctx.find_legacy_name("commune", p, commune_cell, true),
        _ => Lookup::Unknown,
    };
    let code_fits = |code: &str| {
        ctx.legacy_unit("commune", code).is_some_and(|l| {
            district
                .as_ref()
                .is_none_or(|d| l.district.as_ref() == Some(d))
                && province.as_ref().is_none_or(|p| l.province == *p)
        })
    };
    let commune_by_code = match (commune_by_code, ward) {
        (Some(code), Lookup::Found(named)) if named != code && code_fits(&code) => {
            errors.push(msg(
                ColumnKey::LegacyCommune,
                "ambiguous_legacy_commune",
                format!(
                    "Xã cũ \"{commune_cell}\" có thể là {}: ghi tên đầy đủ (Phường …) hoặc mã xã 5 chữ số",
                    ctx.legacy_names("commune", &[code, named])
                ),
            ));
            return None;
        }
        (Some(_), Lookup::Found(named)) => Some(named),
        (code, _) => code,
    };
    let old_commune = if let Some(code) = commune_by_code {
        let known =
            ctx.legacy_unit("commune", &code).is_some() || ctx.conversion.contains_key(&code);
        if !known {
            errors.push(msg(
                ColumnKey::LegacyCommune,
                "unknown_legacy_commune",
                format!("Không có xã cũ mã {code}"),
            ));
            return None;
        }
        code
    } else {
        let lookup = match (&district, &province) {
            (Some(d), _) => ctx.find_legacy("commune", d, commune_cell, 5),
            (None, Some(p)) => ctx.find_legacy_in("commune", p, commune_cell, 5, true),
            (None, None) if !province_parents.is_empty() => {
                ctx.find_legacy_under_any("commune", &province_parents, commune_cell, 5, true)
            }
            (None, None) => {
                errors.push(msg(
                    ColumnKey::LegacyCommune,
                    "legacy_parent_required",
                    format!(
                        "Xã cũ \"{commune_cell}\" ghi bằng tên: cần ghi kèm huyện cũ hoặc tỉnh cũ"
                    ),
                ));
                return None;
            }
        };
        match lookup {
            Lookup::Found(code) => code,
            Lookup::Unknown | Lookup::Missing => match &district {
                // A known district without this commune: an officer must choose.
                Some(d) => {
                    let province = ctx
                        .legacy_unit("district", d)
                        .map(|u| u.province.clone())
                        .unwrap_or_default();
                    return unmapped(ctx, d, &province, None, written, notes, errors);
                }
                None => {
                    errors.push(msg(
                        ColumnKey::LegacyCommune,
                        "unknown_legacy_commune",
                        format!("Tỉnh cũ không có xã \"{commune_cell}\"; ghi kèm huyện cũ"),
                    ));
                    return None;
                }
            },
            Lookup::Ambiguous(codes) => {
                errors.push(msg(
                    ColumnKey::LegacyCommune,
                    "ambiguous_legacy_commune",
                    format!(
                        "Xã cũ \"{commune_cell}\" có thể là {}: ghi tên đầy đủ có dấu{}, hoặc mã xã",
                        ctx.legacy_names("commune", &codes),
                        if district.is_none() { ", kèm huyện cũ" } else { "" }
                    ),
                ));
                return None;
            }
        }
    };
    let legacy = ctx.legacy_unit("commune", &old_commune);
    if let Some(l) = legacy
        && ((district.is_some() && l.district != district)
            || province.as_ref().is_some_and(|p| *p != l.province))
    {
        errors.push(msg(
            ColumnKey::LegacyCommune,
            "legacy_mismatch",
            format!(
                "Xã cũ mã {old_commune} không thuộc {} cũ đã ghi",
                if district.is_some() {
                    "huyện"
                } else {
                    "tỉnh"
                }
            ),
        ));
        return None;
    }
    *old = Some(old_commune.clone());
    let conversions = ctx
        .conversion
        .get(&old_commune)
        .cloned()
        .unwrap_or_default();
    let old_name = legacy
        .map(|l| l.name.clone())
        .unwrap_or_else(|| old_commune.clone());
    // The table names the communes of 2025; a restructuring since may have moved one to another
    // province (its current province counts) or dissolved it (then nothing is guessed).
    let gone = |errors: &mut Vec<RowMessage>, new: &str| {
        errors.push(msg(
            ColumnKey::LegacyCommune,
            "successor_not_current",
            format!(
                "{old_name} (cũ) chuyển vào xã mã {new}, nay không còn trong danh sách hiện hành: ghi mã xã hiện hành"
            ),
        ));
        None
    };
    match conversions.as_slice() {
        [(new, _, partly)] => {
            let Some((province, new_name)) = ctx.communes.get(new) else {
                return gone(errors, new);
            };
            // A single row marked partly merged names one commune all the same: the table has
            // nothing else to choose from, so the row goes there, with a note.
            notes.push(msg(
                ColumnKey::LegacyCommune,
                "converted",
                if *partly {
                    format!(
                        "{old_name} (cũ) → {new_name} (mã {new}); bảng chuyển đổi ghi là sáp nhập một phần nhưng chỉ có xã mới này"
                    )
                } else {
                    format!("{old_name} (cũ) → {new_name} (mã {new})")
                },
            ));
            Some(Address::Current {
                commune: new.clone(),
                province: province.clone(),
            })
        }
        [] => {
            let d = legacy
                .and_then(|l| l.district.clone())
                .or(district)
                .unwrap_or_default();
            let p = legacy
                .map(|l| l.province.clone())
                .or(province)
                .unwrap_or_default();
            unmapped(ctx, &d, &p, Some(old_commune), written, notes, errors)
        }
        many => {
            let mut candidates: Vec<String> = many
                .iter()
                .map(|(c, _, _)| c.clone())
                .filter(|c| ctx.communes.contains_key(c))
                .collect();
            candidates.sort();
            candidates.dedup();
            let Some(province) = candidates
                .first()
                .and_then(|c| ctx.province_of(c))
                .map(str::to_string)
            else {
                return gone(errors, &many[0].0);
            };
            notes.push(msg(
                ColumnKey::LegacyCommune,
                "split",
                format!(
                    "{old_name} (cũ) đã chia cho {} xã mới: chờ cán bộ tỉnh chọn xã",
                    candidates.len()
                ),
            ));
            Some(Address::Queue(QueueTicket {
                reason: QueueReason::Split,
                province,
                legacy_commune_code: Some(old_commune),
                legacy_address: written,
                candidates,
            }))
        }
    }
}

/// Converts an old address given as fields (the API's `legacy_address`) under the import's
/// rules: the current commune, or the queue ticket, with the problems and remarks; messages name
/// the import's columns (`legacy_province`, `legacy_district`, `legacy_commune`).
pub fn convert_legacy(
    ctx: &Context,
    address: &shared::registry::LegacyAddress,
) -> LegacyConversion {
    const MAPPING: [Option<ColumnKey>; 3] = [
        Some(ColumnKey::LegacyProvince),
        Some(ColumnKey::LegacyDistrict),
        Some(ColumnKey::LegacyCommune),
    ];
    let cells = [
        address.province.clone().unwrap_or_default(),
        address.district.clone().unwrap_or_default(),
        address.commune.clone(),
    ];
    let mut out = LegacyConversion::default();
    out.address = address_of(
        ctx,
        &Cells {
            mapping: &MAPPING,
            cells: &cells,
        },
        None,
        &mut out.errors,
        &mut out.notes,
        &mut out.legacy_commune,
    );
    out
}

/// What [`convert_legacy`] found.
#[derive(Debug, Default)]
pub struct LegacyConversion {
    /// The current commune, or the ticket of the queue; `None` with `errors`.
    pub address: Option<Address>,
    /// The old commune the address names, once found.
    pub legacy_commune: Option<String>,
    pub errors: Vec<RowMessage>,
    pub notes: Vec<RowMessage>,
}

/// An old commune the conversion table does not know: queued for the province its district
/// went to, with the new communes of that district as candidates.
fn unmapped(
    ctx: &Context,
    district: &str,
    legacy_province: &str,
    old_commune: Option<String>,
    written: String,
    notes: &mut Vec<RowMessage>,
    errors: &mut Vec<RowMessage>,
) -> Option<Address> {
    let candidates: Vec<String> = ctx
        .district_successors
        .get(district)
        .map(|s| {
            s.iter()
                .filter(|c| ctx.communes.contains_key(*c))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let mut provinces: Vec<&str> = candidates
        .iter()
        .filter_map(|c| ctx.province_of(c))
        .collect();
    provinces.sort_unstable();
    provinces.dedup();
    let Some(province) = provinces.first().map(|p| p.to_string()) else {
        errors.push(msg(
            ColumnKey::LegacyCommune,
            "unmapped_legacy_commune",
            format!("Bảng chuyển đổi không có xã cũ này (tỉnh cũ {legacy_province}); ghi mã xã hiện hành"),
        ));
        return None;
    };
    notes.push(msg(
        ColumnKey::LegacyCommune,
        "unmapped",
        "Bảng chuyển đổi không có xã cũ này: chờ cán bộ tỉnh chọn xã mới",
    ));
    Some(Address::Queue(QueueTicket {
        reason: QueueReason::Unmapped,
        province,
        legacy_commune_code: old_commune,
        legacy_address: written,
        candidates,
    }))
}

/// Where the addresses of some rows lead under a mapping, without checking anything else: the
/// preview that shows a wrong mapping before any dry run.
pub fn preview_addresses(
    ctx: &Context,
    actor: &Actor,
    mapping: &[Option<ColumnKey>],
    rows: &[(u32, Vec<String>)],
) -> Vec<AddressPreview> {
    const ADDRESS: [ColumnKey; 5] = [
        ColumnKey::Province,
        ColumnKey::CommuneCode,
        ColumnKey::LegacyProvince,
        ColumnKey::LegacyDistrict,
        ColumnKey::LegacyCommune,
    ];
    let describe = |code: &str| {
        ctx.communes
            .get(code)
            .map(|(province, name)| match ctx.provinces.get(province) {
                Some(p) => format!("{name}, {p}"),
                None => name.clone(),
            })
    };
    rows.iter()
        .map(|(row, cells)| {
            let cells = Cells { mapping, cells };
            let written = ADDRESS
                .iter()
                .filter_map(|k| cells.get(*k))
                .collect::<Vec<_>>()
                .join(", ");
            let mut errors = Vec::new();
            let mut notes = Vec::new();
            let address = address_of(
                ctx,
                &cells,
                actor.unit.province.as_deref(),
                &mut errors,
                &mut notes,
                &mut None,
            );
            if let Some(a) = &address {
                check_scope(ctx, actor, a, &mut errors);
            }
            let converted = cells.get(ColumnKey::CommuneCode).is_none();
            let (status, commune_code, candidates) = match (address, errors.is_empty()) {
                (Some(Address::Current { commune, .. }), true) if converted => {
                    (AddressPreviewStatus::Converted, Some(commune), Vec::new())
                }
                (Some(Address::Current { commune, .. }), true) => {
                    (AddressPreviewStatus::Current, Some(commune), Vec::new())
                }
                (Some(Address::Queue(t)), true) => {
                    (AddressPreviewStatus::Queued, None, t.candidates)
                }
                _ => (AddressPreviewStatus::Error, None, Vec::new()),
            };
            errors.extend(notes);
            AddressPreview {
                row: *row,
                written,
                status,
                commune_name: commune_code.as_deref().and_then(describe),
                commune_code,
                candidate_names: candidates
                    .iter()
                    .map(|c| match ctx.communes.get(c) {
                        Some((_, name)) => format!("{name} ({c})"),
                        None => c.clone(),
                    })
                    .collect(),
                candidates,
                messages: errors,
            }
        })
        .collect()
}

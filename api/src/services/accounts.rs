//! Accounts: creation, listing, changes and password resets, each within the acting officer's
//! unit and only for lower roles.

use crate::auth::policy::{ensure_can_manage_account, ensure_manages_accounts};
use crate::auth::{Actor, UnitPath, password};
use crate::db::entities::{admin_unit, refresh_token, user};
use crate::error::ApiError;
use crate::services::{audit, units};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::admin_unit::Era;
use shared::auth::{CreateUserRequest, Role, UnitRef, UpdateUserRequest, User};
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use uuid::Uuid;

/// Filters of the account list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// Part of the username or the display name.
    pub q: Option<String>,
    pub role: Option<Role>,
    /// Exactly this unit code.
    pub unit: Option<String>,
    pub active: Option<bool>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn parse_role(field: &str, value: &str) -> Result<Role, ApiError> {
    Role::parse(value).ok_or_else(|| {
        ApiError::field(
            field,
            "invalid_role",
            "must be one of central_admin, province_officer, commune_officer, branch_officer, viewer",
        )
    })
}

fn ensure_fits(role: Role, unit: &UnitPath) -> Result<(), ApiError> {
    let fits = match role {
        Role::CentralAdmin => unit.level() == "nation",
        Role::ProvinceOfficer => unit.level() == "province",
        Role::CommuneOfficer | Role::BranchOfficer => unit.level() == "commune",
        Role::Viewer => true,
    };
    if fits {
        Ok(())
    } else {
        Err(ApiError::field(
            "unit",
            "unit_does_not_fit_role",
            format!(
                "a {} is attached to {}",
                role.as_str(),
                match role {
                    Role::CentralAdmin => "the nation (VN)",
                    Role::ProvinceOfficer => "a province",
                    _ => "a commune",
                }
            ),
        ))
    }
}

async fn to_dto(db: &impl ConnectionTrait, users: Vec<user::Model>) -> Result<Vec<User>, ApiError> {
    let codes: Vec<String> = users.iter().map(|u| u.unit_code.clone()).collect();
    let refs = units::unit_refs(db, &codes).await?;
    Ok(users
        .into_iter()
        .map(|u| User {
            id: u.id,
            role: Role::parse(&u.role).unwrap_or(Role::Viewer),
            unit: refs.get(&u.unit_code).cloned().unwrap_or(UnitRef {
                code: u.unit_code.clone(),
                name: u.unit_code.clone(),
                level: "unknown".into(),
            }),
            username: u.username,
            full_name: u.full_name,
            active: u.active,
            association_unit_id: u.association_unit_id,
            created_at: u.created_at,
            updated_at: u.updated_at,
            version: u.version,
        })
        .collect())
}

/// The one account as the API shows it.
pub async fn dto(db: &impl ConnectionTrait, account: user::Model) -> Result<User, ApiError> {
    to_dto(db, vec![account])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("account"))
}

/// Creates an account without an acting officer: the operator CLI and the first start use this.
pub async fn create_as_operator(
    db: &DatabaseConnection,
    request: CreateUserRequest,
) -> Result<User, ApiError> {
    create(db, None, request).await
}

/// Creates an account on behalf of `actor`.
pub async fn create_by(
    db: &DatabaseConnection,
    actor: &Actor,
    request: CreateUserRequest,
) -> Result<User, ApiError> {
    create(db, Some(actor), request).await
}

async fn create(
    db: &DatabaseConnection,
    actor: Option<&Actor>,
    request: CreateUserRequest,
) -> Result<User, ApiError> {
    let role = parse_role("role", &request.role)?;
    let unit = units::resolve_field(db, "unit", &request.unit).await?;
    if let Some(actor) = actor {
        ensure_can_manage_account(actor, role, &unit)?;
    }
    ensure_fits(role, &unit)?;
    check_association_unit(db, role, &unit, request.association_unit_id).await?;
    let username = request.username.trim().to_lowercase();
    let hash = password::hash(request.password).await?;
    let now = chrono::Utc::now();
    let txn = crate::db::begin_write(db).await?;
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .count(&txn)
        .await?
        > 0
    {
        return Err(ApiError::Conflict(format!(
            "the username {username} is taken"
        )));
    }
    let model = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(username),
        full_name: Set(request
            .full_name
            .map(|n| shared::text::clean(&n))
            .filter(|n| !n.is_empty())),
        password_hash: Set(hash),
        role: Set(role.as_str().to_string()),
        unit_code: Set(unit.code().to_string()),
        active: Set(true),
        password_changed_at: Set(now),
        created_by: Set(actor.map(|a| a.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        association_unit_id: Set(request.association_unit_id),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor,
            action: "account.create",
            resource_type: "account",
            resource_id: Some(model.id.to_string()),
            unit: &unit,
            detail: Some(
                json!({"username": model.username, "role": model.role, "unit": model.unit_code}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    dto(db, model).await
}

/// A branch officer may name the branch or committee they work for: an active one of their own
/// commune. Other roles name none.
async fn check_association_unit(
    db: &impl ConnectionTrait,
    role: Role,
    unit: &UnitPath,
    association_unit_id: Option<Uuid>,
) -> Result<(), ApiError> {
    let Some(id) = association_unit_id else {
        return Ok(());
    };
    if role != Role::BranchOfficer {
        return Err(ApiError::field(
            "association_unit_id",
            "not_a_branch_officer",
            "only branch officers are attached to a branch or committee",
        ));
    }
    let ok = crate::db::entities::association_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|u| {
            matches!(u.level.as_str(), "branch" | "committee")
                && u.status == "active"
                && u.commune_code.as_deref() == unit.commune.as_deref()
        });
    if ok {
        Ok(())
    } else {
        Err(ApiError::field(
            "association_unit_id",
            "invalid_unit",
            "must be an active branch or committee of the account's commune",
        ))
    }
}

/// Condition selecting the accounts attached to `scope` or to units inside it.
fn within(scope: &UnitPath) -> Condition {
    match (&scope.province, &scope.commune) {
        (None, _) => Condition::all(),
        (Some(p), None) => Condition::any()
            .add(user::Column::UnitCode.eq(p.clone()))
            .add(
                user::Column::UnitCode.in_subquery(
                    Query::select()
                        .column(admin_unit::Column::Code)
                        .from(admin_unit::Entity)
                        .and_where(Expr::col(admin_unit::Column::Era).eq(Era::Current.as_str()))
                        .and_where(Expr::col(admin_unit::Column::Level).eq("commune"))
                        .and_where(Expr::col(admin_unit::Column::ProvinceCode).eq(p.clone()))
                        .to_owned(),
                ),
            ),
        (Some(_), Some(c)) => Condition::all().add(user::Column::UnitCode.eq(c.clone())),
    }
}

/// Lists the accounts in the actor's unit.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<User>, ApiError> {
    ensure_manages_accounts(actor)?;
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = user::Entity::find().filter(within(&actor.unit));
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = crate::db::like_contains(&q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Expr::col(user::Column::Username).like(pattern.clone()))
                .add(Expr::col(user::Column::FullName).like(pattern)),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role.as_str()));
    }
    if let Some(unit) = filter.unit {
        query = query.filter(user::Column::UnitCode.eq(unit));
    }
    if let Some(active) = filter.active {
        query = query.filter(user::Column::Active.eq(active));
    }
    let paginator = query
        .order_by_asc(user::Column::Username)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        items: to_dto(db, items).await?,
        total,
        page,
        per_page,
    })
}

/// Loads an account the actor may manage: inside their unit (403 otherwise) and of a lower role
/// (403 otherwise; reading is allowed for any account in scope).
async fn load_in_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(user::Model, UnitPath), ApiError> {
    ensure_manages_accounts(actor)?;
    let account = user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let unit = units::resolve_code(db, &account.unit_code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("account {id} has an unknown unit"))?;
    if !actor.unit.contains(&unit) {
        return Err(ApiError::forbidden());
    }
    Ok((account, unit))
}

/// One account in the actor's unit.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<User, ApiError> {
    let (account, _) = load_in_scope(db, actor, id).await?;
    dto(db, account).await
}

/// Changes role, unit, display name or active flag. The actor must manage the account as it is
/// and as it will be. Disabling, or moving to another role or unit, ends its sessions.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: UpdateUserRequest,
) -> Result<User, ApiError> {
    let txn = crate::db::begin_write(db).await?;
    let (account, unit) = load_in_scope(&txn, actor, id).await?;
    let old_role = parse_role("role", &account.role)?;
    ensure_can_manage_account(actor, old_role, &unit)?;
    let new_role = match request.role.as_deref() {
        Some(r) => parse_role("role", r)?,
        None => old_role,
    };
    let new_unit = match request.unit.as_deref() {
        Some(code) => units::resolve_field(&txn, "unit", code).await?,
        None => unit.clone(),
    };
    ensure_can_manage_account(actor, new_role, &new_unit)?;
    ensure_fits(new_role, &new_unit)?;
    let new_branch = if new_role != Role::BranchOfficer {
        None
    } else if request.association_unit_id.is_some() {
        request.association_unit_id
    } else if new_unit == unit {
        account.association_unit_id
    } else {
        None
    };
    check_association_unit(&txn, new_role, &new_unit, new_branch).await?;
    let ends_sessions =
        new_role != old_role || new_unit != unit || request.active == Some(false) && account.active;
    let mut model: user::ActiveModel = account.clone().into();
    model.role = Set(new_role.as_str().to_string());
    model.unit_code = Set(new_unit.code().to_string());
    model.association_unit_id = Set(new_branch);
    if let Some(active) = request.active {
        model.active = Set(active);
    }
    if let Some(name) = request.full_name {
        let name = shared::text::clean(&name);
        model.full_name = Set(Some(name).filter(|n| !n.is_empty()));
    }
    model.updated_at = Set(chrono::Utc::now());
    model.version = Set(account.version + 1);
    let updated = model.update(&txn).await?;
    if ends_sessions {
        revoke_all_sessions(&txn, id).await?;
    }
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "account.update",
            resource_type: "account",
            resource_id: Some(id.to_string()),
            unit: &new_unit,
            detail: Some(json!({
                "from": {"role": account.role, "unit": account.unit_code, "active": account.active},
                "to": {"role": updated.role, "unit": updated.unit_code, "active": updated.active},
            })),
        },
    )
    .await?;
    txn.commit().await?;
    dto(db, updated).await
}

/// Sets a new password for an account the actor manages, ending its sessions.
pub async fn reset_password(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    new_password: String,
) -> Result<(), ApiError> {
    let (account, unit) = load_in_scope(db, actor, id).await?;
    ensure_can_manage_account(actor, parse_role("role", &account.role)?, &unit)?;
    let hash = password::hash(new_password).await?;
    let txn = crate::db::begin_write(db).await?;
    set_password(&txn, account, hash).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "account.reset_password",
            resource_type: "account",
            resource_id: Some(id.to_string()),
            unit: &unit,
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Stores a new password hash and ends every session of the account.
pub async fn set_password(
    db: &impl ConnectionTrait,
    account: user::Model,
    hash: String,
) -> Result<(), ApiError> {
    let id = account.id;
    let now = chrono::Utc::now();
    let version = account.version;
    let mut model: user::ActiveModel = account.into();
    model.version = Set(version + 1);
    model.password_hash = Set(hash);
    model.password_changed_at = Set(now);
    model.updated_at = Set(now);
    model.update(db).await?;
    revoke_all_sessions(db, id).await
}

/// Revokes every refresh token of an account.
pub async fn revoke_all_sessions(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(), ApiError> {
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(Some(chrono::Utc::now())),
        )
        .filter(refresh_token::Column::UserId.eq(user_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Whether any account exists (the first start creates the administrator when none does).
pub async fn any_exists(db: &DatabaseConnection) -> Result<bool, ApiError> {
    Ok(user::Entity::find().count(db).await? > 0)
}

/// Finds an account by username.
pub async fn find_by_username(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<user::Model>, ApiError> {
    Ok(user::Entity::find()
        .filter(user::Column::Username.eq(username.trim().to_lowercase()))
        .one(db)
        .await?)
}

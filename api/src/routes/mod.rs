//! HTTP handlers. Thin: extract, call one service, map to a response. Each carries the
//! `#[utoipa::path]` that documents it, and is registered once in [`api_v1`], which both serves
//! it and puts it in the OpenAPI document.

pub mod admin_units;
pub mod association_units;
pub mod audit;
pub mod auth;
pub mod baselines;
pub mod cache;
pub mod criteria_sets;
pub mod decisions;
pub mod evidence;
pub mod health;
pub mod imports;
pub mod legacy_queue;
pub mod memberships;
pub mod people;
pub mod periods;
pub mod registrations;
pub mod reports;
pub mod restructuring;
pub mod target_groups;
pub mod users;
pub mod verify;
pub mod villages;
pub mod worklist;

pub mod changes;
pub mod clients;
pub mod oauth;
pub mod sync;

use actix_web::Error;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use utoipa_actix_web::scope::Scope;

/// Every `/api/v1` endpoint.
pub fn api_v1() -> Scope<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse,
        Error = Error,
        InitError = (),
    >,
> {
    utoipa_actix_web::scope("/api/v1")
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(auth::change_password)
        .service(users::list)
        .service(users::create)
        .service(users::get)
        .service(users::update)
        .service(users::reset_password)
        .service(admin_units::provinces)
        .service(admin_units::communes_of_province)
        .service(admin_units::search)
        .service(admin_units::legacy_provinces)
        .service(admin_units::legacy_districts)
        .service(admin_units::legacy_communes)
        .service(admin_units::legacy_convert)
        .service(admin_units::legacy_successors)
        .service(admin_units::legacy_detail)
        .service(admin_units::detail)
        .service(association_units::list)
        .service(association_units::root)
        .service(association_units::create)
        .service(association_units::get)
        .service(association_units::update)
        .service(audit::list)
        .service(target_groups::list)
        .service(memberships::create)
        .service(memberships::update)
        .service(memberships::transfer)
        .service(memberships::of_person)
        .service(memberships::of_unit)
        .service(people::list)
        .service(people::create)
        .service(people::lookup)
        .service(people::get)
        .service(people::update)
        .service(people::delete)
        .service(people::reveal_personal_id)
        .service(people::export)
        .service(criteria_sets::list)
        .service(criteria_sets::create)
        .service(criteria_sets::get)
        .service(criteria_sets::update)
        .service(criteria_sets::publish)
        .service(periods::list)
        .service(periods::create)
        .service(periods::update)
        .service(registrations::list)
        .service(registrations::create)
        .service(registrations::bulk_pass)
        .service(registrations::get)
        .service(registrations::events)
        .service(registrations::self_assessment)
        .service(registrations::review)
        .service(registrations::start)
        .service(registrations::submit)
        .service(registrations::start_review)
        .service(registrations::return_to_draft)
        .service(registrations::pass)
        .service(registrations::fail)
        .service(registrations::withdraw)
        .service(registrations::revoke)
        .service(registrations::certificate)
        .service(evidence::upload)
        .service(evidence::list)
        .service(evidence::download)
        .service(evidence::remove)
        .service(decisions::list)
        .service(decisions::create)
        .service(decisions::get)
        .service(decisions::add_items)
        .service(decisions::remove_items)
        .service(decisions::issue)
        .service(decisions::certificates)
        .service(verify::verify)
        .service(villages::list)
        .service(villages::create)
        .service(villages::get)
        .service(villages::update)
        .service(reports::summary)
        .service(reports::progress)
        .service(reports::series)
        .service(reports::legacy)
        .service(reports::targets)
        .service(reports::people)
        .service(reports::counters_check)
        .service(reports::counters_rebuild)
        .service(baselines::list)
        .service(baselines::set_commune)
        .service(baselines::set_committee)
        .service(baselines::import)
        .service(imports::template_xlsx)
        .service(imports::template_csv)
        .service(imports::upload)
        .service(imports::preview)
        .service(imports::start)
        .service(imports::list)
        .service(imports::get)
        .service(imports::rows)
        .service(imports::report_xlsx)
        .service(imports::report_csv)
        .service(imports::resume)
        .service(legacy_queue::list)
        .service(legacy_queue::resolve_many)
        .service(legacy_queue::get)
        .service(legacy_queue::resolve)
        .service(restructuring::create)
        .service(restructuring::list)
        .service(restructuring::get)
        .service(restructuring::apply)
        .service(restructuring::undo)
        .service(oauth::token)
        .service(clients::list)
        .service(clients::create)
        .service(clients::get)
        .service(clients::rotate_secret)
        .service(clients::revoke)
        .service(changes::list)
        .service(sync::people)
        .service(sync::memberships)
        .service(sync::registrations)
        .service(sync::results)
        .service(worklist::get)
}

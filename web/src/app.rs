//! The application shell: shared state, the routes, and the layout around every page (skip
//! link, header with navigation, language switch and user menu, footer).

use crate::api::{self, ApiError};
use crate::components::problem::shown;
use crate::i18n::imports::IKey;
use crate::i18n::reports::RKey;
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::import::{
    job::ImportJobPage, queue::LegacyQueuePage, restructuring::RestructuringPage,
    upload::ImportPage,
};
use crate::pages::reports::{ReportsPage, baselines::BaselinesPage, legacy::LegacyReportPage};
use crate::pages::workflow::{
    assessment::AssessmentPage, assessments::AssessmentsPage, criteria_set::CriteriaSetPage,
    criteria_sets::CriteriaSetsPage, decision::DecisionPage, decisions::DecisionsPage,
    periods::PeriodsPage, review::ReviewPage,
};
use crate::pages::{
    association_unit_detail::AssociationUnitDetailPage, association_units::AssociationUnitsPage,
    home::HomePage, legacy::LegacyPage, login::LoginPage, not_found::NotFoundPage,
    people::PeoplePage, person_detail::PersonDetailPage, person_form::PersonEditPage,
    person_form::PersonNewPage, unit_detail::UnitDetailPage, units::UnitsPage,
    villages::VillagesPage,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{ProtectedRoute, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::path;
use shared::auth::User;

/// The signed-in account, loaded from `GET /auth/me` whenever someone signs in; `None` when
/// nobody is.
pub type CurrentUser = LocalResource<Result<Option<User>, ApiError>>;

/// What every page receives: the session, the language and the signed-in account.
#[derive(Clone, Copy)]
pub struct AppContext {
    pub session: Session,
    pub i18n: I18n,
    pub me: CurrentUser,
}

impl AppContext {
    /// The session (not known yet), the language and the account loaded whenever someone signs
    /// in; keeps the document's `lang` attribute on the chosen language.
    pub fn new() -> Self {
        let session = Session::new();
        let i18n = I18n::new();
        let me: CurrentUser = LocalResource::new(move || {
            let logged_in = session.is_logged_in();
            async move {
                if logged_in {
                    api::auth::me(session).await.map(Some)
                } else {
                    Ok(None)
                }
            }
        });
        Effect::new(move |_| {
            let tag = i18n.lang().tag();
            if let Some(root) = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| document.document_element())
                && root.set_attribute("lang", tag).is_err()
            {
                leptos::logging::warn!("cannot set the document language");
            }
        });
        AppContext { session, i18n, me }
    }
}

impl Default for AppContext {
    fn default() -> Self {
        Self::new()
    }
}

/// The root component of the whole application.
#[component]
pub fn App() -> impl IntoView {
    let app = AppContext::new();
    let session = app.session;
    session.resume();
    register_service_worker();

    let signed_in = move || session.signed_in();
    view! {
        <Router>
            <Frame app>
                <Routes fallback=move || view! { <NotFoundPage app /> }>
                    <ProtectedRoute
                        path=path!("/")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <HomePage app /> }
                    />
                    <Route path=path!("/login") view=move || view! { <LoginPage app /> } />
                    <Route path=path!("/units") view=move || view! { <UnitsPage app /> } />
                    // Before "/units/:code", which would match it too.
                    <Route path=path!("/units/legacy") view=move || view! { <LegacyPage app /> } />
                    <Route path=path!("/units/:code") view=move || view! { <UnitDetailPage app /> } />
                    <ProtectedRoute
                        path=path!("/association-units")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <AssociationUnitsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/association-units/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <AssociationUnitDetailPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/villages")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <VillagesPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/people")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <PeoplePage app /> }
                    />
                    // Before "/people/:id", which would match it too.
                    <ProtectedRoute
                        path=path!("/people/new")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <PersonNewPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/people/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <PersonDetailPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/people/:id/edit")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <PersonEditPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/assessments")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <AssessmentsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/assessments/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <AssessmentPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/review")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <ReviewPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/decisions")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <DecisionsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/decisions/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <DecisionPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/criteria-sets")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <CriteriaSetsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/criteria-sets/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <CriteriaSetPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/periods")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <PeriodsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/reports")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <ReportsPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/reports/baselines")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <BaselinesPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/reports/legacy")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <LegacyReportPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/imports")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <ImportPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/imports/:id")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <ImportJobPage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/legacy-queue")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <LegacyQueuePage app /> }
                    />
                    <ProtectedRoute
                        path=path!("/restructurings")
                        condition=signed_in
                        redirect_path=|| "/login"
                        view=move || view! { <RestructuringPage app /> }
                    />
                </Routes>
            </Frame>
        </Router>
    }
}

/// Everything around a page: the skip link, the header, `<main>` holding `children` (the
/// routes) and the footer.
#[component]
pub fn Frame(app: AppContext, children: Children) -> impl IntoView {
    let i18n = app.i18n;
    view! {
        <a class="skip-link" href="#main" rel="external">
            {move || i18n.t(Key::SkipToContent)}
        </a>
        <SiteHeader app />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{move || i18n.t(Key::Footer)}</p>
        </footer>
    }
}

/// Lets the service worker (`/sw.js`) keep the application's shell for the next visit. Where
/// service workers are not available (plain HTTP on another host, some private modes) the
/// application works the same, downloading its shell on each visit.
fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Absent on insecure origins, where `navigator.serviceWorker` is undefined.
    if wasm_bindgen::JsValue::from(container.clone()).is_undefined() {
        return;
    }
    let registration = container.register("/sw.js");
    spawn_local(async move {
        if let Err(error) = wasm_bindgen_futures::JsFuture::from(registration).await {
            leptos::logging::warn!("the service worker was not registered: {error:?}");
        }
    });
}

/// Which navigation entry a path belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Home,
    Units,
    Legacy,
    AssociationUnits,
    Villages,
    People,
    Assessments,
    Review,
    Decisions,
    CriteriaSets,
    Periods,
    Reports,
    Imports,
    LegacyQueue,
    Restructurings,
    Other,
}

fn section_of(path: &str) -> Section {
    match path {
        "/" => Section::Home,
        "/units/legacy" => Section::Legacy,
        "/units" => Section::Units,
        _ if path.starts_with("/units/") => Section::Units,
        "/association-units" => Section::AssociationUnits,
        _ if path.starts_with("/association-units/") => Section::AssociationUnits,
        "/villages" => Section::Villages,
        "/people" => Section::People,
        _ if path.starts_with("/people/") => Section::People,
        "/assessments" => Section::Assessments,
        _ if path.starts_with("/assessments/") => Section::Assessments,
        "/review" => Section::Review,
        "/decisions" => Section::Decisions,
        _ if path.starts_with("/decisions/") => Section::Decisions,
        "/criteria-sets" => Section::CriteriaSets,
        _ if path.starts_with("/criteria-sets/") => Section::CriteriaSets,
        "/periods" => Section::Periods,
        "/reports" => Section::Reports,
        _ if path.starts_with("/reports/") => Section::Reports,
        "/imports" => Section::Imports,
        _ if path.starts_with("/imports/") => Section::Imports,
        "/legacy-queue" => Section::LegacyQueue,
        "/restructurings" => Section::Restructurings,
        _ => Section::Other,
    }
}

/// The header: application name, navigation, language switch and user menu. It also sends the
/// visitor to the login page when their session expires.
#[component]
fn SiteHeader(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    let location = use_location();
    let navigate = use_navigate();

    let to_login = navigate.clone();
    Effect::new(move |_| {
        if session.has_expired() {
            to_login("/login", Default::default());
        }
    });

    let section = Memo::new(move |_| section_of(&location.pathname.get()));
    let central_admin = move || {
        me.get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|user| user.role == shared::auth::Role::CentralAdmin)
    };
    let role_at_least = move |wanted: shared::auth::Role| {
        move || {
            me.get()
                .and_then(Result::ok)
                .flatten()
                .is_some_and(|user| user.role >= wanted)
        }
    };
    let current = move |wanted: Section| move || (section.get() == wanted).then_some("page");

    // On a phone the navigation and the tools fold behind one button; following a link folds
    // them again.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });

    let logging_out = RwSignal::new(false);
    let logout = move |_| {
        if logging_out.get_untracked() {
            return;
        }
        logging_out.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            if let Err(error) = api::auth::logout(session).await {
                leptos::logging::warn!("logout was not recorded by the server: {error}");
            }
            session.clear();
            logging_out.set(false);
            navigate("/login", Default::default());
        });
    };

    let user_view = move || {
        Suspend::new(async move {
            let user = me.await.map(|user| {
                user.map(|user| {
                    let role = user.role;
                    view! {
                        <span class="current-user">
                            <span class="visually-hidden">{move || i18n.t(Key::SignedInAs)} ": "</span>
                            <span id="current-user" class="user-name">{user.username}</span>
                            <span class="user-role">{move || i18n.cat().role(role)}</span>
                            <span class="user-unit">{user.unit.name}</span>
                        </span>
                    }
                })
            });
            shown(i18n, user)
        })
    };

    view! {
        <header class="site-header" class:menu-open=move || menu_open.get()>
            <div class="brand">
                <a href="/" class="app-name">
                    {move || i18n.t(Key::AppName)}
                </a>
                <span class="tagline">{move || i18n.t(Key::AppTagline)}</span>
            </div>
            <button
                id="menu-toggle"
                type="button"
                class="menu-toggle"
                aria-controls="main-nav"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span class="menu-icon" aria-hidden="true"></span>
                <span>{move || i18n.t(Key::MenuToggle)}</span>
            </button>
            <nav id="main-nav" class="main-nav" aria-label=move || i18n.t(Key::MainNavigation)>
                <ul>
                    <li>
                        <a href="/" aria-current=current(Section::Home)>
                            {move || i18n.t(Key::NavHome)}
                        </a>
                    </li>
                    <li>
                        <a href="/units" aria-current=current(Section::Units)>
                            {move || i18n.t(Key::NavUnits)}
                        </a>
                    </li>
                    <li>
                        <a href="/units/legacy" aria-current=current(Section::Legacy)>
                            {move || i18n.t(Key::NavLegacy)}
                        </a>
                    </li>
                    <Show when=move || session.is_logged_in()>
                        <li>
                            <a
                                href="/association-units"
                                aria-current=current(Section::AssociationUnits)
                            >
                                {move || i18n.t(Key::NavAssociationUnits)}
                            </a>
                        </li>
                        <li>
                            <a href="/villages" aria-current=current(Section::Villages)>
                                {move || i18n.t(Key::NavVillages)}
                            </a>
                        </li>
                        <li>
                            <a href="/people" aria-current=current(Section::People)>
                                {move || i18n.t(Key::NavPeople)}
                            </a>
                        </li>
                        <li>
                            <a href="/assessments" aria-current=current(Section::Assessments)>
                                {move || i18n.w(WKey::NavAssessments)}
                            </a>
                        </li>
                        <li>
                            <a href="/review" aria-current=current(Section::Review)>
                                {move || i18n.w(WKey::NavReview)}
                            </a>
                        </li>
                        <li>
                            <a href="/decisions" aria-current=current(Section::Decisions)>
                                {move || i18n.w(WKey::NavDecisions)}
                            </a>
                        </li>
                        <li>
                            <a href="/periods" aria-current=current(Section::Periods)>
                                {move || i18n.w(WKey::NavPeriods)}
                            </a>
                        </li>
                        <Show when=central_admin>
                            <li>
                                <a href="/criteria-sets" aria-current=current(Section::CriteriaSets)>
                                    {move || i18n.w(WKey::NavCriteriaSets)}
                                </a>
                            </li>
                        </Show>
                        <li>
                            <a href="/reports" aria-current=current(Section::Reports)>
                                {move || i18n.r(RKey::NavReports)}
                            </a>
                        </li>
                        <Show when=role_at_least(shared::auth::Role::CommuneOfficer)>
                            <li>
                                <a href="/imports" aria-current=current(Section::Imports)>
                                    {move || i18n.im(IKey::NavImport)}
                                </a>
                            </li>
                        </Show>
                        <Show when=role_at_least(shared::auth::Role::CommuneOfficer)>
                            <li>
                                <a href="/legacy-queue" aria-current=current(Section::LegacyQueue)>
                                    {move || i18n.im(IKey::NavLegacyQueue)}
                                </a>
                            </li>
                        </Show>
                        <Show when=central_admin>
                            <li>
                                <a href="/restructurings" aria-current=current(Section::Restructurings)>
                                    {move || i18n.im(IKey::NavRestructuring)}
                                </a>
                            </li>
                        </Show>
                    </Show>
                </ul>
            </nav>
            <div id="header-tools" class="header-tools">
                <button
                    id="lang-toggle"
                    type="button"
                    class="button-secondary"
                    lang=move || i18n.lang().other().tag()
                    title=move || i18n.t(Key::LangToggleLabel)
                    on:click=move |_| i18n.toggle()
                >
                    {move || i18n.t(Key::LangToggle)}
                </button>
                <Show
                    when=move || session.is_logged_in()
                    fallback=move || {
                        view! {
                            <a href="/login" class="button">
                                {move || i18n.t(Key::SignIn)}
                            </a>
                        }
                    }
                >
                    <div class="user-menu">
                        <Transition fallback=|| ()>{user_view}</Transition>
                        <button
                            id="logout"
                            type="button"
                            class="button-secondary"
                            disabled=move || logging_out.get()
                            on:click=logout.clone()
                        >
                            {move || i18n.t(Key::SignOut)}
                        </button>
                    </div>
                </Show>
            </div>
        </header>
    }
}

//! `/verify/{code}`: the public check of a certificate, reached from the QR code printed on it.
//! Anyone may open it, signed in or not; it shows only what the API lets the public know.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::ProblemAlert;
use crate::i18n::I18n;
use crate::i18n::workflow::WKey;
use crate::pages::workflow::common::use_title;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::workflow::Verification;

/// The HTTP status of a failed check, when the server answered.
fn status_of(error: &ApiError) -> Option<u16> {
    match error {
        ApiError::Problem { problem, .. } => Some(problem.status),
        ApiError::Status(status) => Some(*status),
        _ => None,
    }
}

/// The verification page.
#[component]
pub fn VerifyPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    use_title(i18n, WKey::VerifyTitle);
    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let found = LocalResource::new(move || {
        let code = code.get();
        async move { api::workflow::verify(&code).await }
    });
    let result_view = move || {
        Suspend::new(async move {
            match found.await {
                Ok(verification) => view! { <VerifiedCard i18n verification /> }.into_any(),
                Err(error) if status_of(&error) == Some(404) => view! {
                    <section id="verify-result" class="verify-card verify-missing">
                        <p id="verify-status" class="verify-badge" role="status">
                            {move || i18n.w(WKey::VerifyNotFound)}
                        </p>
                        <p>{move || i18n.w(WKey::VerifyNotFoundHint)}</p>
                    </section>
                }
                .into_any(),
                Err(ApiError::Problem {
                    problem,
                    retry_after,
                }) if problem.status == 429 => view! {
                    <div id="verify-result" class="warning" role="alert">
                        {move || match retry_after {
                            Some(seconds) => i18n.wcat().verify_retry(seconds),
                            None => i18n.w(WKey::VerifyTooMany).to_string(),
                        }}
                    </div>
                }
                .into_any(),
                Err(error) => view! { <ProblemAlert i18n error id="verify-result" /> }.into_any(),
            }
        })
    };
    view! {
        <div class="verify-page">
            <h1>{move || i18n.w(WKey::VerifyTitle)}</h1>
            <p>{move || i18n.w(WKey::VerifyIntro)}</p>
            <Transition fallback=move || view! { <Loading i18n /> }>{result_view}</Transition>
        </div>
    }
}

/// What the public may know of a certificate, under a large status badge.
#[component]
fn VerifiedCard(i18n: I18n, verification: Verification) -> impl IntoView {
    let Verification {
        masked_name,
        title,
        period,
        issuing_unit,
        status,
        certificate_number,
        decision_number,
        decision_date,
        valid_until,
    } = verification;
    let badge = match status.as_str() {
        "valid" => Some(WKey::VerifyValid),
        "revoked" => Some(WKey::VerifyRevoked),
        "expired" => Some(WKey::VerifyExpired),
        _ => None,
    };
    let class = format!("verify-card verify-{status}");
    view! {
        <section id="verify-result" class=class aria-labelledby="verify-status">
            <p id="verify-status" class="verify-badge">
                {move || badge.map_or_else(|| status.clone(), |key| i18n.w(key).to_string())}
            </p>
            <dl class="facts">
                <dt>{move || i18n.w(WKey::VerifyHolder)}</dt>
                <dd id="verify-name">{masked_name}</dd>
                <dt>{move || i18n.w(WKey::VerifyDistinction)}</dt>
                <dd>{title}</dd>
                <dt>{move || i18n.w(WKey::Period)}</dt>
                <dd>{period}</dd>
                <dt>{move || i18n.w(WKey::VerifyIssuer)}</dt>
                <dd>{issuing_unit}</dd>
                <dt>{move || i18n.w(WKey::CertificateNumber)}</dt>
                <dd id="verify-certificate">{certificate_number}</dd>
                <dt>{move || i18n.w(WKey::DecisionNumber)}</dt>
                <dd>{decision_number}</dd>
                <dt>{move || i18n.w(WKey::DecisionDate)}</dt>
                <dd>{move || i18n.cat().date(decision_date)}</dd>
                {valid_until
                    .map(|day| {
                        view! {
                            <dt>{move || i18n.w(WKey::ValidUntil)}</dt>
                            <dd id="verify-valid-until">{move || i18n.cat().date(day)}</dd>
                        }
                    })}
            </dl>
        </section>
    }
}

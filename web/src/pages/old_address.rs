//! The person form's old address (before 2025-07-01), for an officer who does not know the
//! person's current commune: looked up in the official conversion table. A whole old commune
//! gives its current commune, chosen in the form's commune picker. A split or unmapped one
//! offers its candidates: the officer picks one when they know it, or leaves the choice to the
//! province, and the record is sent with its old address and waits in the legacy-address queue.

use crate::api::{self, ApiError};
use crate::components::problem::ProblemMessage;
use crate::i18n::{I18n, Key};
use crate::session::Session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::registry::{Conversion, ConversionStatus, LegacyAddress};

fn typed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// `details#person-old-address`: sets `province` and `commune` when the table (or the officer)
/// settles the commune, and `address` (the old address to send) while nobody has.
#[component]
pub fn OldAddress(
    i18n: I18n,
    session: Session,
    province: RwSignal<String>,
    commune: RwSignal<String>,
    address: RwSignal<Option<LegacyAddress>>,
) -> impl IntoView {
    let old_province = RwSignal::new(String::new());
    let old_district = RwSignal::new(String::new());
    let old_commune = RwSignal::new(String::new());
    let answer: RwSignal<Option<Result<Conversion, ApiError>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    // Another old address: what was looked up no longer holds.
    let edit = move |signal: RwSignal<String>| {
        move |event| {
            signal.set(event_target_value(&event));
            answer.set(None);
            address.set(None);
        }
    };
    // The form emptied for the next person (no commune, no old address): so is this part, unless
    // it shows a commune the table gave.
    Effect::new(move |_| {
        let emptied = address.get().is_none() && commune.get().is_empty();
        let undecided = answer.with_untracked(
            |a| matches!(a, Some(Ok(found)) if found.status != ConversionStatus::Converted),
        );
        if emptied && undecided {
            answer.set(None);
            for field in [old_province, old_district, old_commune] {
                field.set(String::new());
            }
        }
    });
    let lookup = move || {
        let Some(old) = typed(&old_commune.get_untracked()) else {
            return;
        };
        let wanted = LegacyAddress {
            province: typed(&old_province.get_untracked()),
            district: typed(&old_district.get_untracked()),
            commune: old,
        };
        busy.set(true);
        spawn_local(async move {
            let result = api::admin_units::convert(session, wanted.clone()).await;
            busy.try_set(false);
            if let Ok(found) = &result {
                match (found.status, &found.commune_code) {
                    (ConversionStatus::Converted, Some(code)) => {
                        if let Some(p) = &found.province_code {
                            province.try_set(p.clone());
                        }
                        commune.try_set(code.clone());
                        address.try_set(None);
                    }
                    (ConversionStatus::Split | ConversionStatus::Unmapped, _) => {
                        if let Some(p) = &found.province_code {
                            province.try_set(p.clone());
                        }
                        commune.try_set(String::new());
                        address.try_set(Some(wanted));
                    }
                    _ => {
                        address.try_set(None);
                    }
                }
            }
            answer.try_set(Some(result));
        });
    };
    // Enter in these fields (once an input method has finished composing) looks the address up
    // rather than saving the form.
    let enter = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" && !event.is_composing() {
            event.prevent_default();
            event.stop_propagation();
            lookup();
        }
    };
    let outcome = move || {
        let kept = address.get();
        answer.get().map(|result| match result {
            Err(error) => view! { <ProblemMessage i18n error /> }.into_any(),
            Ok(found) => match found.status {
                ConversionStatus::Converted => view! {
                    <p id="person-old-result" class="notice" role="status">
                        {move || i18n.t(Key::OldAddressConverted)}
                        " "
                        <strong>
                            {found.commune_name.clone().unwrap_or_default()} " ("
                            {found.commune_code.clone().unwrap_or_default()} ")"
                        </strong>
                    </p>
                }
                .into_any(),
                ConversionStatus::Split | ConversionStatus::Unmapped => {
                    let why = if found.status == ConversionStatus::Split {
                        Key::OldAddressSplit
                    } else {
                        Key::OldAddressUnmapped
                    };
                    let kept = kept.clone();
                    view! {
                        <div id="person-old-result" class="notice" role="status">
                            <p>{move || i18n.t(why)}</p>
                            <label for="person-old-candidate">
                                {move || i18n.t(Key::OldAddressCandidate)}
                            </label>
                            <select
                                id="person-old-candidate"
                                on:change=move |event| {
                                    let code = event_target_value(&event);
                                    if code.is_empty() {
                                        commune.set(String::new());
                                        address.set(kept.clone());
                                    } else {
                                        commune.set(code);
                                        address.set(None);
                                    }
                                }
                            >
                                <option value="" selected=true>
                                    {move || i18n.t(Key::OldAddressUndecided)}
                                </option>
                                {found
                                    .candidates
                                    .iter()
                                    .map(|c| {
                                        view! {
                                            <option value=c.code.clone()>
                                                {format!("{} ({})", c.name, c.code)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                    }
                    .into_any()
                }
                ConversionStatus::Invalid => view! {
                    <ul id="person-old-result" class="field-error" role="alert">
                        {found
                            .errors
                            .iter()
                            .map(|e| view! { <li>{e.message.clone()}</li> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            },
        })
    };
    view! {
        <details id="person-old-address" class="old-address field-wide">
            <summary>{move || i18n.t(Key::OldAddressToggle)}</summary>
            <p class="hint">{move || i18n.t(Key::OldAddressIntro)}</p>
            <div class="filter-grid">
                {[
                    (old_province, "person-old-province", Key::OldProvince),
                    (old_district, "person-old-district", Key::OldDistrict),
                    (old_commune, "person-old-commune", Key::OldCommune),
                ]
                    .into_iter()
                    .map(|(signal, id, label)| {
                        view! {
                            <div class="field">
                                <label for=id>{move || i18n.t(label)}</label>
                                <input
                                    id=id
                                    type="text"
                                    prop:value=signal
                                    on:input=edit(signal)
                                    on:keydown=enter
                                />
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <button
                type="button"
                id="person-old-lookup"
                class="button-quiet"
                disabled=move || busy.get()
                on:click=move |_| lookup()
            >
                {move || i18n.t(Key::OldAddressLookup)}
            </button>
            {outcome}
        </details>
    }
}

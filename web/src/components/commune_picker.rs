//! The province and commune pickers of officers whose unit is wider than one commune.

use crate::api::ApiError;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::select_option::SelectOption;
use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use shared::admin_unit::AdminUnit;

/// A list of administrative units fetched from the API.
pub type AdminUnitsResource = LocalResource<Result<Vec<AdminUnit>, ApiError>>;

/// A province picker (given `provinces`, for central officers) and the commune picker of the
/// chosen province. Choosing another province empties the commune. `empty` labels the choice of
/// no unit (`AllOption` in filters, `ChooseOption` in forms); `described_by` and `invalid` are the
/// commune picker's error line and state in a form, and `children` (that error line) follow the
/// commune picker.
#[component]
pub fn CommunePicker(
    i18n: I18n,
    #[prop(default = None)] provinces: Option<AdminUnitsResource>,
    communes: AdminUnitsResource,
    province: RwSignal<String>,
    commune: RwSignal<String>,
    province_id: &'static str,
    commune_id: &'static str,
    empty: Key,
    #[prop(optional)] described_by: Option<&'static str>,
    #[prop(optional, into)] invalid: Signal<bool>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let province_field = provinces.map(|provinces| {
        let picker = move || {
            suspend_shown(i18n, async move {
                provinces.await.map(|provinces| {
                    view! {
                        <select
                            id=province_id
                            on:change=move |event| {
                                commune.set(String::new());
                                province.set(event_target_value(&event));
                            }
                        >
                            <SelectOption value="" selected=province>
                                {move || i18n.t(empty)}
                            </SelectOption>
                            {provinces
                                .into_iter()
                                .map(|unit| {
                                    view! {
                                        <SelectOption value=unit.code selected=province>
                                            {unit.name}
                                        </SelectOption>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })
            })
        };
        view! {
            <div class="field">
                <label for=province_id>{move || i18n.t(Key::UnitProvince)}</label>
                <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
            </div>
        }
    });
    let commune_picker = move || {
        suspend_shown(i18n, async move {
            communes.await.map(|communes| {
                view! {
                    <select
                        id=commune_id
                        aria-describedby=described_by
                        aria-invalid=move || invalid.get().to_string()
                        on:change=move |event| commune.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=commune>
                            {move || i18n.t(empty)}
                        </SelectOption>
                        {communes
                            .into_iter()
                            .map(|unit| {
                                view! {
                                    <SelectOption value=unit.code selected=commune>
                                        {unit.name}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                }
            })
        })
    };
    view! {
        {province_field}
        <div class="field">
            <label for=commune_id>{move || i18n.t(Key::CommunesTitle)}</label>
            <Transition fallback=move || view! { <Loading i18n /> }>{commune_picker}</Transition>
            {children.map(|children| children())}
        </div>
    }
}

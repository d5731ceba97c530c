//! Saving what the application holds (text, or the bytes of a file the API sent) as a file on
//! the officer's device.

use wasm_bindgen::{JsCast, JsValue};

/// Offers `text` for download as `file_name` of type `mime`.
pub fn save_text(file_name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    save_blob(
        file_name,
        &web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?,
    )
}

/// Offers `bytes` for download as `file_name` of type `content_type`.
pub fn save_bytes(file_name: &str, content_type: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    save_blob(
        file_name,
        &web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?,
    )
}

/// Hands `blob` to the browser through a temporary object URL.
fn save_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    if let Some(body) = document.body() {
        body.append_child(&anchor)?;
    }
    anchor.click();
    anchor.remove();
    // The browser reads the object URL after this task; it is released once it has.
    leptos::prelude::set_timeout(
        move || {
            if web_sys::Url::revoke_object_url(&url).is_err() {
                leptos::logging::warn!("cannot release the download's object URL");
            }
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

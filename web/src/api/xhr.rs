//! Sending a file with `XMLHttpRequest`, the one browser API that reports how many bytes of a
//! request body have gone out (`fetch` does not). The answer is handed back as a `fetch`
//! response, so it is decoded exactly like every other call.

use super::ApiError;
use futures::channel::oneshot;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{ProgressEvent, XmlHttpRequest};

/// Told the bytes sent and the bytes to send, as the upload goes.
pub type Progress = Rc<dyn Fn(f64, f64)>;

/// How a request ended.
enum Ended {
    Loaded,
    Failed(&'static str),
}

/// `POST url` with `blob` as the body and `headers`; `progress` hears every progress event of
/// the upload. A request that gets no answer (network down, connection cut) is
/// [`ApiError::Network`].
pub(super) async fn post_blob(
    url: &str,
    headers: &[(&str, &str)],
    blob: &web_sys::Blob,
    progress: Progress,
) -> Result<gloo_net::http::Response, ApiError> {
    let js = |error: wasm_bindgen::JsValue| ApiError::Network(format!("{error:?}"));
    let xhr = XmlHttpRequest::new().map_err(js)?;
    xhr.open("POST", url).map_err(js)?;
    for (name, value) in headers {
        xhr.set_request_header(name, value).map_err(js)?;
    }

    let (tx, rx) = oneshot::channel::<Ended>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let end = move |how: Ended| {
        let tx = tx.clone();
        Closure::<dyn FnMut(ProgressEvent)>::new(move |_event: ProgressEvent| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(match &how {
                    Ended::Loaded => Ended::Loaded,
                    Ended::Failed(why) => Ended::Failed(why),
                });
            }
        })
    };
    let on_load = end(Ended::Loaded);
    let on_error = end(Ended::Failed("the connection failed"));
    let on_abort = end(Ended::Failed("the upload was cancelled"));
    let on_timeout = end(Ended::Failed("the upload timed out"));
    xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
    xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    xhr.set_onabort(Some(on_abort.as_ref().unchecked_ref()));
    xhr.set_ontimeout(Some(on_timeout.as_ref().unchecked_ref()));
    let size = blob.size();
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |event: ProgressEvent| {
        let total = if event.length_computable() {
            event.total()
        } else {
            size
        };
        progress(event.loaded(), total);
    });
    let upload = xhr.upload().map_err(js)?;
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

    xhr.send_with_opt_blob(Some(blob)).map_err(js)?;
    let ended = rx.await.unwrap_or(Ended::Failed("the request was dropped"));
    // The handlers are no longer needed once the request has ended.
    upload.set_onprogress(None);
    xhr.set_onload(None);
    xhr.set_onerror(None);
    xhr.set_onabort(None);
    xhr.set_ontimeout(None);
    drop((on_load, on_error, on_abort, on_timeout, on_progress));

    if let Ended::Failed(why) = ended {
        return Err(ApiError::Network(why.to_string()));
    }
    let status = xhr.status().map_err(js)?;
    if status == 0 {
        return Err(ApiError::Network("no answer".to_string()));
    }
    let text = xhr.response_text().map_err(js)?.unwrap_or_default();
    let answer_headers = web_sys::Headers::new().map_err(js)?;
    for name in ["content-type", "retry-after"] {
        if let Ok(Some(value)) = xhr.get_response_header(name) {
            answer_headers.append(name, &value).map_err(js)?;
        }
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(status);
    init.set_headers(&answer_headers);
    // Statuses without a body (204, 304) refuse one.
    let body = (!text.is_empty()).then_some(text.as_str());
    let response = web_sys::Response::new_with_opt_str_and_init(body, &init).map_err(js)?;
    Ok(gloo_net::http::Response::from(response))
}

/// For an upload whose progress nobody shows.
pub fn unheard() -> Progress {
    Rc::new(|_, _| {})
}

//! Serving the built web application (`dist/`, made by `cargo xtask build-web`).
//!
//! - Assets under `/assets/` are named after a hash of their content: browsers may keep them a
//!   year without asking again (`Cache-Control: public, max-age=31536000, immutable`).
//! - Pages and the service worker keep their names and are revalidated on every visit
//!   (`no-cache`, with an `ETag`).
//! - Every file is sent as the brotli or gzip copy written beside it at build time when the
//!   browser accepts it, never compressed again on the fly.
//! - A path that is no file is a page of the application: `/login` gets the small public bundle
//!   (`public.html`), every other path the whole application (`index.html`). The certificate
//!   check that a QR code opens, `/verify/{code}`, is a page of the server ([`verify_page`]).
//! - Everything served from here carries a strict Content-Security-Policy: scripts only from
//!   this origin (and wasm), no inline script, no plugin, no framing.

use actix_files::NamedFile;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use std::path::{Component, Path, PathBuf};

pub mod verify_page;

/// The stylesheets of the built web application (their content-named paths), for the pages the
/// server renders itself.
#[derive(Debug, Clone, Default)]
pub struct Stylesheets(pub Vec<String>);

impl Stylesheets {
    /// The stylesheets `index.html` in `dir` links, in order; none when it is not built.
    pub fn of(dir: &Path) -> Stylesheets {
        let Ok(page) = std::fs::read_to_string(dir.join("index.html")) else {
            return Stylesheets::default();
        };
        let links = page
            .split('<')
            .filter(|tag| tag.starts_with("link") && tag.contains("rel=\"stylesheet\""))
            .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
            .filter(|href| href.starts_with('/'))
            .map(str::to_owned)
            .collect();
        Stylesheets(links)
    }
}

/// The policy of every page and asset of the web application.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; \
     img-src 'self' data: blob:; \
     connect-src 'self'; \
     worker-src 'self'; \
     object-src 'none'; \
     base-uri 'none'; \
     form-action 'self'; \
     frame-ancestors 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

/// The page of the application at `path`, a path that is no file: the public bundle's page for
/// the login page, the whole application's for the rest.
fn page_for(path: &str) -> &'static str {
    if path == "/login" {
        "public.html"
    } else {
        "index.html"
    }
}

/// Answers a request for the web application in `dir`.
pub async fn serve(req: ServiceRequest, dir: &Path) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let response = answer(&req, dir).await;
    Ok(ServiceResponse::new(req, response))
}

async fn answer(req: &HttpRequest, dir: &Path) -> HttpResponse {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut response = HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "GET, HEAD"))
            .finish();
        secure(&mut response);
        return response;
    }
    let file = file_of(dir, req.path());
    let (path, cache) = match file {
        Some(path) if path.is_file() => {
            let immutable = req.path().starts_with("/assets/");
            (path, if immutable { IMMUTABLE } else { REVALIDATE })
        }
        // A missing asset is a 404, not the application's page: a stale page asking for an
        // asset of an earlier build must not receive HTML in place of its script.
        _ if req.path().starts_with("/assets/") => {
            let mut response = HttpResponse::NotFound()
                .insert_header((header::CACHE_CONTROL, REVALIDATE))
                .finish();
            secure(&mut response);
            return response;
        }
        _ => (dir.join(page_for(req.path())), REVALIDATE),
    };
    let mut response = match send_file(req, &path) {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(path = %path.display(), %error, "cannot read a file of the web application");
            HttpResponse::InternalServerError().finish()
        }
    };
    if response.status() == StatusCode::OK || response.status() == StatusCode::NOT_MODIFIED {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    }
    secure(&mut response);
    response
}

/// Adds the Content-Security-Policy of the web application.
pub fn secure(response: &mut HttpResponse) {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
}

/// The file under `dir` that `path` names, when every segment is a plain name.
fn file_of(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() {
        return Some(dir.join("index.html"));
    }
    let relative = Path::new(relative);
    let plain = relative.components().all(|component| match component {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    plain.then(|| dir.join(relative))
}

/// The media type of a file of the web application, by its extension.
fn media_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// Whether the request's `Accept-Encoding` accepts `coding` (with a quality above zero).
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    let Some(value) = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    value.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|param| {
            param
                .trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

/// Sends `path`, as its brotli or gzip copy when there is one the browser accepts.
fn send_file(req: &HttpRequest, path: &Path) -> std::io::Result<HttpResponse> {
    let copies = [
        ("br", ContentEncoding::Brotli),
        ("gzip", ContentEncoding::Gzip),
    ];
    let chosen = copies.into_iter().find_map(|(coding, encoding)| {
        let suffix = if coding == "br" { "br" } else { "gz" };
        let mut name = path.as_os_str().to_owned();
        name.push(".");
        name.push(suffix);
        let copy = PathBuf::from(name);
        (accepts(req, coding) && copy.is_file()).then_some((copy, encoding))
    });
    let (file, encoding) = match chosen {
        Some((copy, encoding)) => (copy, Some(encoding)),
        None => (path.to_path_buf(), None),
    };
    let media: mime::Mime = media_type(path)
        .parse()
        .unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let mut named = NamedFile::open(&file)?
        .set_content_type(media)
        .disable_content_disposition()
        .use_etag(true)
        .use_last_modified(true);
    if let Some(encoding) = encoding {
        named = named.set_content_encoding(encoding);
    }
    let mut response = named.into_response(req);
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn public_pages_get_the_public_bundle() {
        assert_eq!(page_for("/login"), "public.html");
        assert_eq!(page_for("/login/x"), "index.html");
        assert_eq!(page_for("/"), "index.html");
        assert_eq!(page_for("/people/1"), "index.html");
        assert_eq!(page_for("/verifyx"), "index.html");
    }

    #[test]
    fn only_plain_names_reach_files() {
        let dir = Path::new("/srv/dist");
        assert_eq!(file_of(dir, "/"), Some(dir.join("index.html")));
        assert_eq!(
            file_of(dir, "/assets/web-1.wasm"),
            Some(dir.join("assets/web-1.wasm"))
        );
        assert_eq!(file_of(dir, "/../secret"), None);
        assert_eq!(file_of(dir, "/assets/../../x"), None);
        assert_eq!(file_of(dir, "/.bindgen/web.js"), None);
    }

    #[test]
    fn accept_encoding_is_read_with_its_qualities() {
        let req = TestRequest::default()
            .insert_header((header::ACCEPT_ENCODING, "gzip, deflate, br;q=0"))
            .to_http_request();
        assert!(accepts(&req, "gzip"));
        assert!(!accepts(&req, "br"));
        let req = TestRequest::default()
            .insert_header((header::ACCEPT_ENCODING, "BR;q=0.8"))
            .to_http_request();
        assert!(accepts(&req, "br"));
        assert!(!accepts(&req, "gzip"));
        let req = TestRequest::default().to_http_request();
        assert!(!accepts(&req, "br"));
    }
}

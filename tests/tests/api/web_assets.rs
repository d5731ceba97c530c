//! How the server hands out the web application: precompressed copies, year-long caching of
//! content-named assets, the public bundle's page for the login and verification pages, the
//! Content-Security-Policy, and nothing outside the application's directory.
//!
//! The application here is a small one written by the test in the shape `cargo xtask build-web`
//! gives, so that the rules are checked whatever the real build holds.

use reqwest::Method;
use tests::{Backend, ScratchDir, TestApp};

const CSP_PARTS: [&str; 5] = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "style-src 'self'",
];

/// A built application: two pages, a service worker, and assets with compressed copies (the
/// copies hold other bytes than the file, so that the test sees which one was sent).
fn built_application() -> ScratchDir {
    let dir = ScratchDir::new("cdht-dist");
    let root = dir.path();
    std::fs::create_dir_all(root.join("assets")).expect("assets directory");
    let files: [(&str, &[u8]); 9] = [
        (
            "index.html",
            b"<!doctype html><title>app</title>\n<link rel=\"stylesheet\" href=\"/assets/style-0123456789abcdef.css\">\n<div id=\"boot\"></div>",
        ),
        ("index.html.br", b"BROTLI index"),
        ("index.html.gz", b"GZIP index"),
        ("public.html", b"<!doctype html><title>public</title>"),
        ("sw.js", b"// service worker"),
        ("assets/web-0123456789abcdef.wasm", b"\0asm plain"),
        ("assets/web-0123456789abcdef.wasm.br", b"BROTLI wasm"),
        ("assets/web-0123456789abcdef.wasm.gz", b"GZIP wasm"),
        ("assets/style-0123456789abcdef.css", b"body{}"),
    ];
    for (name, bytes) in files {
        std::fs::write(root.join(name), bytes).expect("writing a file of the application");
    }
    std::fs::write(root.join(".secret"), b"hidden").expect("hidden file");
    dir
}

async fn spawn(dist: &ScratchDir) -> TestApp {
    let dir = dist.path().to_path_buf();
    TestApp::spawn_with(Backend::Sqlite, move |settings| settings.web_dir = dir).await
}

async fn get(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> reqwest::Response {
    let mut request = app.client().request(Method::GET, app.url(path));
    if let Some(value) = accept_encoding {
        request = request.header("Accept-Encoding", value);
    }
    request.send().await.expect("the server answers")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn assets_are_sent_precompressed_and_kept_a_year() {
    let dist = built_application();
    let app = spawn(&dist).await;
    let path = "/assets/web-0123456789abcdef.wasm";

    let brotli = get(&app, path, Some("gzip, deflate, br, zstd")).await;
    assert_eq!(brotli.status(), 200);
    assert_eq!(header(&brotli, "content-encoding"), "br");
    assert_eq!(header(&brotli, "content-type"), "application/wasm");
    assert_eq!(
        header(&brotli, "cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(header(&brotli, "vary").contains("Accept-Encoding"));
    assert_eq!(brotli.bytes().await.expect("body").as_ref(), b"BROTLI wasm");

    let gzip = get(&app, path, Some("gzip, br;q=0")).await;
    assert_eq!(header(&gzip, "content-encoding"), "gzip");
    assert_eq!(gzip.bytes().await.expect("body").as_ref(), b"GZIP wasm");

    let plain = get(&app, path, None).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    assert_eq!(plain.bytes().await.expect("body").as_ref(), b"\0asm plain");

    // A file without compressed copies is sent as it is, with its own type.
    let css = get(&app, "/assets/style-0123456789abcdef.css", Some("br")).await;
    assert_eq!(css.status(), 200);
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");
    assert_eq!(css.bytes().await.expect("body").as_ref(), b"body{}");

    // An asset of another build is missing, not replaced by the application's page.
    let stale = get(&app, "/assets/web-ffffffffffffffff.wasm", Some("br")).await;
    assert_eq!(stale.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn pages_are_revalidated_and_public_pages_get_the_small_bundle() {
    let dist = built_application();
    let app = spawn(&dist).await;
    for (path, expected) in [
        ("/", "app"),
        ("/people/2f6c6f0e-0000-4000-8000-000000000000", "app"),
        ("/units/legacy", "app"),
        ("/login", "public"),
    ] {
        let page = get(&app, path, None).await;
        assert_eq!(page.status(), 200, "{path}");
        assert_eq!(header(&page, "cache-control"), "no-cache", "{path}");
        assert_eq!(
            header(&page, "content-type"),
            "text/html; charset=utf-8",
            "{path}"
        );
        let csp = header(&page, "content-security-policy").to_string();
        for part in CSP_PARTS {
            assert!(csp.contains(part), "{path}: {part} missing from {csp:?}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let body = page.text().await.expect("body");
        assert!(
            body.contains(&format!("<title>{expected}</title>")),
            "{path}: {body}"
        );
    }

    // The page is precompressed too, and can be revalidated with its ETag.
    let page = get(&app, "/", Some("br")).await;
    assert_eq!(header(&page, "content-encoding"), "br");
    let etag = header(&page, "etag").to_string();
    assert!(!etag.is_empty(), "an ETag");
    let again = app
        .client()
        .get(app.url("/"))
        .header("Accept-Encoding", "br")
        .header("If-None-Match", etag)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(again.status(), 304);

    let worker = get(&app, "/sw.js", None).await;
    assert_eq!(worker.status(), 200);
    assert_eq!(header(&worker, "cache-control"), "no-cache");
    assert_eq!(
        header(&worker, "content-type"),
        "text/javascript; charset=utf-8"
    );
    app.stop().await;
}

#[tokio::test]
async fn nothing_outside_the_application_is_served_and_only_reading_is_allowed() {
    let dist = built_application();
    let app = spawn(&dist).await;
    for path in [
        "/.secret",
        "/assets/../.secret",
        "/%2e%2e/etc/passwd",
        "/..%2f.secret",
    ] {
        let response = get(&app, path, None).await;
        let body = response.text().await.expect("body");
        assert!(!body.contains("hidden"), "{path} gave the hidden file");
    }
    let post = app
        .client()
        .post(app.url("/people"))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(post.status(), 405);
    assert_eq!(header(&post, "allow"), "GET, HEAD");

    // The API keeps its own answers: JSON problems, not the application's page.
    let missing = get(&app, "/api/v1/no-such-thing", None).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(header(&missing, "content-type"), "application/problem+json");
    app.stop().await;
}

#[tokio::test]
async fn the_page_a_qr_code_opens_is_plain_html_from_the_server() {
    let dist = built_application();
    let app = spawn(&dist).await;
    let page = get(&app, "/verify/unknownCodexxxxxxxxxxxxxxxx", None).await;
    assert_eq!(page.status(), 404);
    assert_eq!(header(&page, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&page, "cache-control"), "no-store");
    let csp = header(&page, "content-security-policy").to_string();
    for part in CSP_PARTS {
        assert!(csp.contains(part), "{part} missing from {csp:?}");
    }
    let body = page.text().await.expect("body");
    assert!(body.contains("Không tìm thấy giấy công nhận"), "{body}");
    assert!(body.contains("id=\"verify-status\""), "{body}");
    assert!(
        body.contains("href=\"/assets/style-0123456789abcdef.css\""),
        "the application's stylesheet: {body}"
    );
    assert!(!body.contains("<script"), "no script: {body}");
    assert!(
        body.len() < 8_000,
        "a page of a few kilobytes: {} bytes",
        body.len()
    );

    let english = get(&app, "/verify/unknownCodexxxxxxxxxxxxxxxx?lang=en", None).await;
    let body = english.text().await.expect("body");
    assert!(body.contains("No certificate found"), "{body}");
    app.stop().await;
}

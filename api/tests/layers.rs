//! The api crate is built in layers (docs/ARCHITECTURE.md draws them): a module may import
//! modules of its own layer or of a lower one, never of a higher one. This test reads every file
//! under `api/src`, collects the `crate::…` paths it names (in `use` trees and in code, comments
//! left out) and fails on each path that reaches up a layer, or that names a module no layer
//! holds (a new module is given its layer here, on purpose).

use std::path::{Path, PathBuf};

/// The layers, from the bottom. A module belongs to the layer of the longest entry that is
/// its path or a parent of it, so a submodule can sit above its parent (`auth::extractor`, the
/// `Actor` extractor, is HTTP code beside the rest of `auth`).
const LAYERS: &[(&str, &[&str])] = &[
    // Entities, SQL helpers, pool and migrations, versions of records.
    ("data", &["db"]),
    // `ApiError`, and how database errors map to it.
    ("errors", &["error"]),
    // Settings, keys, logging, JSON parsing, rate limits, exports and certificate documents.
    (
        "support",
        &[
            "configuration",
            "crypto",
            "telemetry",
            "json",
            "rate_limit",
            "export",
            "certificates",
        ],
    ),
    // The acting officer, tokens, passwords, throttles and the pure scope rules.
    ("identity", &["auth"]),
    // Use cases: services, the bulk import and the state they share.
    ("use cases", &["services", "import", "state"]),
    // HTTP: handlers, extractors, middlewares, the OpenAPI document, the web application's
    // files and the pages the server renders.
    (
        "http",
        &[
            "routes",
            "web_app",
            "extract",
            "concurrency",
            "openapi",
            "auth::extractor",
            "services::idempotency",
        ],
    ),
    // The server's assembly and the CLI.
    ("application", &["startup", "cli", ""]),
];

/// The layer of a module path (`auth::policy`), by the longest matching entry.
fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(layer, (_, modules))| modules.iter().map(move |m| (layer, *m)))
        .filter(|(_, m)| {
            if m.is_empty() {
                module.is_empty()
            } else {
                module == *m
                    || module
                        .strip_prefix(*m)
                        .is_some_and(|rest| rest.starts_with("::"))
            }
        })
        .max_by_key(|(_, m)| m.len())
        .map(|(layer, _)| layer)
}

/// The module path of a source file (`src/auth/extractor.rs` → `auth::extractor`; `lib.rs`
/// and `main.rs` are the root, `""`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The text of a file without its comments (doc links name paths they do not import).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            ('/', Some('/')) => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every module path named after `crate::` in `text`, use trees expanded (`crate::{a, b::{c}}`
/// names `a` and `b::c`).
fn crate_paths(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut paths = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("crate::") {
        let start = at + found;
        at = start + "crate::".len();
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$') {
            continue;
        }
        let (tree, _) = use_tree(&text[at..]);
        paths.extend(tree);
    }
    paths
}

/// The paths of one use tree at the start of `text`, and the bytes it took.
fn use_tree(text: &str) -> (Vec<String>, usize) {
    let mut segments: Vec<&str> = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'{' {
            i += 1;
            let mut paths = Vec::new();
            loop {
                while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                    i += 1;
                }
                if i >= bytes.len() || bytes[i] == b'}' {
                    i += 1;
                    break;
                }
                let (inner, used) = use_tree(&text[i..]);
                i += used.max(1);
                for path in inner {
                    let mut full = segments.join("::");
                    if !full.is_empty() && !path.is_empty() {
                        full.push_str("::");
                    }
                    full.push_str(&path);
                    paths.push(full);
                }
            }
            return (paths, i);
        }
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if start == i {
            return (vec![segments.join("::")], i);
        }
        segments.push(&text[start..i]);
        if text[i..].starts_with("::") {
            i += 2;
        } else {
            return (vec![segments.join("::")], i);
        }
    }
}

/// The longest prefix of `path` that is a module the crate has (the rest names items).
fn module_named(path: &str, modules: &[String]) -> String {
    let segments: Vec<&str> = path.split("::").collect();
    (0..=segments.len())
        .rev()
        .map(|n| segments[..n].join("::"))
        .find(|prefix| modules.iter().any(|m| m == prefix))
        .unwrap_or_default()
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The imports that break the layering, one line each, for the files given as (module, text).
fn violations(files: &[(String, String)]) -> Vec<String> {
    let modules: Vec<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut found = Vec::new();
    for (module, text) in files {
        let Some(own) = layer_of(module) else {
            found.push(format!(
                "module `{module}` is in no layer: give it one in api/tests/layers.rs and docs/ARCHITECTURE.md"
            ));
            continue;
        };
        for path in crate_paths(&without_comments(text)) {
            let target = module_named(&path, &modules);
            if target == *module {
                continue;
            }
            match layer_of(&target) {
                Some(theirs) if theirs > own => found.push(format!(
                    "`{module}` ({}) imports `crate::{path}` ({})",
                    LAYERS[own].0, LAYERS[theirs].0
                )),
                Some(_) => {}
                None => found.push(format!(
                    "`{module}` imports `crate::{path}`, which is in no layer"
                )),
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn no_module_of_the_api_crate_imports_a_module_of_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    source_files(&src, &mut paths);
    assert!(paths.len() > 50, "the sources of api were not found");
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            (module_of(&src, p), text)
        })
        .collect();
    let found = violations(&files);
    assert!(
        found.is_empty(),
        "imports against the layers (docs/ARCHITECTURE.md):\n{}",
        found.join("\n")
    );
}

#[test]
fn an_import_from_a_higher_layer_is_found() {
    let files = vec![
        (
            "db::entities::person".to_string(),
            "use crate::db::sql;\n/// see [`crate::routes::people`]\nfn f() { crate::services::people::get(); }".to_string(),
        ),
        (
            "auth::policy".to_string(),
            "use crate::{error::ApiError, auth::extractor::x, state::AppState};".to_string(),
        ),
        ("auth".to_string(), String::new()),
        ("auth::extractor".to_string(), "use crate::state::AppState;".to_string()),
        ("db".to_string(), String::new()),
        ("error".to_string(), String::new()),
        ("services::people".to_string(), String::new()),
        ("state".to_string(), String::new()),
        ("routes::people".to_string(), String::new()),
        ("newcomer".to_string(), String::new()),
    ];
    assert_eq!(
        violations(&files),
        vec![
            "`auth::policy` (identity) imports `crate::auth::extractor::x` (http)".to_string(),
            "`auth::policy` (identity) imports `crate::state::AppState` (use cases)".to_string(),
            "`db::entities::person` (data) imports `crate::services::people::get` (use cases)"
                .to_string(),
            "module `newcomer` is in no layer: give it one in api/tests/layers.rs and docs/ARCHITECTURE.md".to_string(),
        ]
    );
}

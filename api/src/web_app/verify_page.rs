//! `/verify/{code}`: the page a QR code on a certificate opens, rendered by the server.
//!
//! Whoever scans the code is usually on a phone and often on a slow connection, and needs one
//! answer: is this certificate real? The page is plain HTML of a few kilobytes with the web
//! application's stylesheets, readable at once and without JavaScript. It shows what
//! `GET /api/v1/public/verify/{code}` shows, under the same per-address limit.

use crate::services::decisions;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use shared::workflow::Verification;

/// The page's language: Vietnamese, or English with `?lang=en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Vi,
    En,
}

/// The texts of the page, in one language.
struct Texts {
    tag: &'static str,
    title: &'static str,
    intro: &'static str,
    valid: &'static str,
    revoked: &'static str,
    expired: &'static str,
    holder: &'static str,
    distinction: &'static str,
    period: &'static str,
    issuer: &'static str,
    certificate_number: &'static str,
    decision_number: &'static str,
    decision_date: &'static str,
    valid_until: &'static str,
    not_found: &'static str,
    not_found_hint: &'static str,
    too_many: &'static str,
    failed: &'static str,
    other_language: &'static str,
    other_language_query: &'static str,
    app_name: &'static str,
    footer: &'static str,
}

const VI: Texts = Texts {
    tag: "vi",
    title: "Tra cứu giấy công nhận Công dân học tập",
    intro: "Thông tin do Hội Khuyến học Việt Nam cung cấp. Số định danh và các thông tin cá nhân \
            khác không được hiển thị.",
    valid: "Còn hiệu lực",
    revoked: "Đã thu hồi",
    expired: "Hết hiệu lực",
    holder: "Người được công nhận",
    distinction: "Danh hiệu",
    period: "Đợt đánh giá",
    issuer: "Đơn vị công nhận",
    certificate_number: "Số giấy công nhận",
    decision_number: "Số quyết định",
    decision_date: "Ngày quyết định",
    valid_until: "Có hiệu lực đến",
    not_found: "Không tìm thấy giấy công nhận",
    not_found_hint: "Kiểm tra lại đường dẫn hoặc mã QR trên giấy công nhận. Giấy không có trong \
                     hệ thống thì không được coi là hợp lệ.",
    too_many: "Có quá nhiều lượt tra cứu từ địa chỉ này. Vui lòng thử lại sau ít phút.",
    failed: "Không tra cứu được lúc này. Vui lòng thử lại sau.",
    other_language: "English",
    other_language_query: "?lang=en",
    app_name: "Công dân học tập",
    footer: "Hội Khuyến học Việt Nam",
};

const EN: Texts = Texts {
    tag: "en",
    title: "Learning Citizen certificate check",
    intro: "Information provided by the Vietnam Association for Promoting Education. ID numbers \
            and other personal data are not shown.",
    valid: "Valid",
    revoked: "Revoked",
    expired: "Expired",
    holder: "Holder",
    distinction: "Distinction",
    period: "Period",
    issuer: "Recognised by",
    certificate_number: "Certificate number",
    decision_number: "Decision number",
    decision_date: "Decision date",
    valid_until: "Valid until",
    not_found: "No certificate found",
    not_found_hint: "Check the address or the QR code on the certificate. A certificate that is \
                     not in the system is not to be taken as valid.",
    too_many: "Too many checks from this address. Please try again in a few minutes.",
    failed: "The check cannot be made now. Please try again later.",
    other_language: "Tiếng Việt",
    other_language_query: "?lang=vi",
    app_name: "Learning Citizen",
    footer: "Vietnam Association for Promoting Education",
};

impl Lang {
    fn of(req: &HttpRequest) -> Lang {
        let english = req
            .query_string()
            .split('&')
            .any(|pair| pair.eq_ignore_ascii_case("lang=en"));
        if english { Lang::En } else { Lang::Vi }
    }

    fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }

    fn date(self, date: NaiveDate) -> String {
        match self {
            Lang::Vi => date.format("%d/%m/%Y").to_string(),
            Lang::En => date.format("%-d %b %Y").to_string(),
        }
    }
}

/// What the check found.
enum Outcome {
    Found(Verification),
    NotFound,
    TooMany(u64),
    Failed,
}

/// Answers `GET /verify/{code}` with the page; `stylesheets` are the web application's.
pub async fn answer(
    state: &AppState,
    req: &HttpRequest,
    code: &str,
    stylesheets: &[String],
) -> HttpResponse {
    let lang = Lang::of(req);
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let outcome = match state.verify_limiter.check(&address) {
        Err(wait) => Outcome::TooMany(wait),
        Ok(()) => match decisions::verify(&state.db, code).await {
            Ok(Some(found)) => Outcome::Found(found),
            Ok(None) => Outcome::NotFound,
            Err(error) => {
                tracing::error!(?error, "the certificate check failed");
                Outcome::Failed
            }
        },
    };
    let status = match &outcome {
        Outcome::Found(_) => StatusCode::OK,
        Outcome::NotFound => StatusCode::NOT_FOUND,
        Outcome::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
        Outcome::Failed => StatusCode::SERVICE_UNAVAILABLE,
    };
    let mut response = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(lang, &outcome, stylesheets));
    if let Outcome::TooMany(wait) = outcome
        && let Ok(value) = HeaderValue::from_str(&wait.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

fn render(lang: Lang, outcome: &Outcome, stylesheets: &[String]) -> String {
    let t = lang.texts();
    let links: String = stylesheets
        .iter()
        .map(|href| format!("<link rel=\"stylesheet\" href=\"{}\">\n", escape(href)))
        .collect();
    let result = match outcome {
        Outcome::Found(found) => card(lang, found),
        Outcome::NotFound => format!(
            "<section id=\"verify-result\" class=\"verify-card verify-missing\">\n\
             <p id=\"verify-status\" class=\"verify-badge\" role=\"status\">{}</p>\n\
             <p>{}</p>\n</section>",
            t.not_found, t.not_found_hint
        ),
        Outcome::TooMany(_) => format!(
            "<div id=\"verify-result\" class=\"warning\" role=\"alert\">{}</div>",
            t.too_many
        ),
        Outcome::Failed => format!(
            "<div id=\"verify-result\" class=\"error\" role=\"alert\">{}</div>",
            t.failed
        ),
    };
    format!(
        "<!doctype html>\n<html lang=\"{tag}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"data:,\">\n{links}</head>\n<body>\n\
         <header class=\"site-header\">\n<div class=\"brand\"><span class=\"app-name\">{app}</span></div>\n\
         <a class=\"button button-secondary\" href=\"{other_query}\" lang=\"{other_tag}\">{other}</a>\n</header>\n\
         <main id=\"main\">\n<div class=\"verify-page\">\n<h1>{title}</h1>\n<p>{intro}</p>\n\
         {result}\n</div>\n</main>\n\
         <footer class=\"site-footer\"><p>{footer}</p></footer>\n</body>\n</html>\n",
        tag = t.tag,
        title = t.title,
        app = t.app_name,
        other_query = t.other_language_query,
        other_tag = if lang == Lang::Vi { "en" } else { "vi" },
        other = t.other_language,
        intro = t.intro,
        footer = t.footer,
    )
}

/// What the public may know of a certificate, under a large status badge.
fn card(lang: Lang, found: &Verification) -> String {
    let t = lang.texts();
    let badge = match found.status.as_str() {
        "valid" => t.valid,
        "revoked" => t.revoked,
        "expired" => t.expired,
        other => other,
    };
    let mut facts = vec![
        (t.holder, "verify-name", found.masked_name.clone()),
        (t.distinction, "verify-title", found.title.clone()),
        (t.period, "verify-period", found.period.clone()),
        (t.issuer, "verify-issuer", found.issuing_unit.clone()),
        (
            t.certificate_number,
            "verify-certificate",
            found.certificate_number.clone(),
        ),
        (
            t.decision_number,
            "verify-decision",
            found.decision_number.clone(),
        ),
        (
            t.decision_date,
            "verify-decision-date",
            lang.date(found.decision_date),
        ),
    ];
    if let Some(day) = found.valid_until {
        facts.push((t.valid_until, "verify-valid-until", lang.date(day)));
    }
    let rows: String = facts
        .iter()
        .map(|(label, id, value)| {
            format!(
                "<dt>{}</dt><dd id=\"{id}\">{}</dd>\n",
                escape(label),
                escape(value)
            )
        })
        .collect();
    format!(
        "<section id=\"verify-result\" class=\"verify-card verify-{status}\" \
         aria-labelledby=\"verify-status\">\n\
         <p id=\"verify-status\" class=\"verify-badge\">{badge}</p>\n\
         <dl class=\"facts\">\n{rows}</dl>\n</section>",
        status = escape(&found.status),
        badge = escape(badge),
    )
}

/// `text` with the characters that mean something in HTML written as references.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The route: `GET /verify/{code}`.
pub async fn handler(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    stylesheets: web::Data<super::Stylesheets>,
) -> HttpResponse {
    let mut response = answer(&state, &req, &code, &stylesheets.0).await;
    super::secure(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(name: &str) -> Verification {
        Verification {
            masked_name: name.to_string(),
            title: "Công dân học tập".into(),
            period: "2026".into(),
            issuing_unit: "Phường Ba Đình".into(),
            status: "valid".into(),
            certificate_number: "CN-2026-0001".into(),
            decision_number: "12/QĐ-KH".into(),
            decision_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default(),
            valid_until: None,
        }
    }

    #[test]
    fn the_page_shows_the_certificate_and_escapes_what_it_shows() {
        let page = render(
            Lang::Vi,
            &Outcome::Found(verification("Nguyễn <b>V.</b> A.")),
            &["/assets/style-1.css".into()],
        );
        assert!(page.contains("<html lang=\"vi\">"));
        assert!(page.contains("Còn hiệu lực"));
        assert!(page.contains("Nguyễn &lt;b&gt;V.&lt;/b&gt; A."));
        assert!(page.contains("20/11/2026"));
        assert!(page.contains("href=\"/assets/style-1.css\""));
        assert!(!page.contains("<script"), "no script on the page");
        let english = render(Lang::En, &Outcome::NotFound, &[]);
        assert!(english.contains("No certificate found"));
        assert!(english.contains("<html lang=\"en\">"));
    }
}

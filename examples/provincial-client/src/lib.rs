//! An example provincial system talking to CDHT's integration API, written as an integrator
//! would: it gets a token with the client-credentials grant, pushes people in batches keyed by
//! its own external ids, pushes them again (nothing changes), updates one, and pulls the change
//! feed until it is caught up. It waits as told on 429 and gets a new token on 401. Without a
//! commune it asks the API for one inside its own province; it stops at the first refusal (an
//! error answer or a rejected item) with the problem's text.

use anyhow::{Context, bail};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

/// Where and who.
#[derive(Debug, Clone)]
pub struct Config {
    /// `http://127.0.0.1:8080`
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// The commune the example people live in; by default the first commune of the client's
    /// province, as the API lists them.
    pub commune_code: Option<String>,
    /// How many people to push.
    pub people: usize,
    /// Items per batch (at most 1,000).
    pub batch_size: usize,
}

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Items held in the legacy-address queue (an old address that needs an officer's choice).
    pub queued: usize,
    pub rejected: usize,
    pub changes_pulled: usize,
    pub last_cursor: String,
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
}

#[derive(Deserialize)]
struct BatchResult {
    created: usize,
    updated: usize,
    unchanged: usize,
    #[serde(default)]
    queued: usize,
    rejected: usize,
    items: Vec<Value>,
}

#[derive(Deserialize)]
struct ChangePage {
    items: Vec<Value>,
    next_cursor: String,
    has_more: bool,
}

struct Api {
    http: reqwest::Client,
    config: Config,
    token: String,
}

impl Api {
    async fn connect(config: Config) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()?;
        let mut api = Api {
            http,
            config,
            token: String::new(),
        };
        api.token = api.fetch_token().await?;
        Ok(api)
    }

    /// `POST /api/v1/oauth/token` with HTTP Basic client authentication.
    async fn fetch_token(&self) -> anyhow::Result<String> {
        let response = self
            .http
            .post(format!("{}/api/v1/oauth/token", self.config.base_url))
            .basic_auth(&self.config.client_id, Some(&self.config.client_secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .context("requesting a token")?;
        let status = response.status();
        if !status.is_success() {
            let body: Value = response.json().await.unwrap_or_default();
            bail!(
                "token refused ({status}): {} {}",
                body["error"],
                body["error_description"]
            );
        }
        Ok(response.json::<Token>().await?.access_token)
    }

    /// Sends a request, waiting on 429 as `Retry-After` says and renewing the token on 401.
    async fn call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let mut renewed = false;
        for _ in 0..10 {
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.config.base_url))
                .bearer_auth(&self.token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request
                .send()
                .await
                .with_context(|| format!("{method} {path}"))?;
            let status = response.status();
            if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(1);
                tokio::time::sleep(Duration::from_secs(wait)).await;
                continue;
            }
            if status == reqwest::StatusCode::UNAUTHORIZED && !renewed {
                self.token = self.fetch_token().await?;
                renewed = true;
                continue;
            }
            let value: Value = response.json().await.unwrap_or_default();
            if !status.is_success() {
                bail!(
                    "{method} {path} answered {status}: {} ({})",
                    value["code"],
                    value["detail"]
                );
            }
            return Ok(value);
        }
        bail!("{method} {path}: still limited after 10 tries")
    }

    /// The first commune of the client's province (for a national client, of the first province),
    /// from the client's own Association unit and the official lists.
    async fn default_commune(&mut self) -> anyhow::Result<String> {
        let root = self
            .call(reqwest::Method::GET, "/api/v1/association-units/root", None)
            .await?;
        let province = match root["province_code"].as_str() {
            Some(code) => code.to_string(),
            None => {
                let provinces = self
                    .call(reqwest::Method::GET, "/api/v1/admin-units/provinces", None)
                    .await?;
                provinces[0]["code"]
                    .as_str()
                    .context("the API lists no province")?
                    .to_string()
            }
        };
        let communes = self
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/admin-units/provinces/{province}/communes"),
                None,
            )
            .await?;
        let commune = &communes[0];
        let code = commune["code"]
            .as_str()
            .with_context(|| format!("province {province} has no commune"))?;
        eprintln!(
            "pushing into commune {code} ({}) of province {province}; set CDHT_COMMUNE to choose another",
            commune["name"].as_str().unwrap_or_default()
        );
        Ok(code.to_string())
    }

    async fn push(&mut self, items: &[Value]) -> anyhow::Result<BatchResult> {
        let answer = self
            .call(
                reqwest::Method::PUT,
                "/api/v1/sync/people",
                Some(&json!({"items": items})),
            )
            .await?;
        let result: BatchResult = serde_json::from_value(answer)?;
        if let Some(item) = result.items.iter().find(|i| i["status"] == "rejected") {
            let error = &item["error"];
            bail!(
                "item {} was refused ({} {}): {}; {} of {} items of this batch were refused",
                item["external_id"].as_str().unwrap_or_default(),
                error["status"],
                error["code"].as_str().unwrap_or_default(),
                error["detail"].as_str().unwrap_or_default(),
                result.rejected,
                result.items.len()
            );
        }
        for item in result.items.iter().filter(|i| i["status"] == "queued") {
            eprintln!(
                "queued {}: waits for an officer's choice of commune (queue item {})",
                item["external_id"], item["queue_item_id"]
            );
        }
        Ok(result)
    }
}

/// Syllables spelling a number as a name (names hold letters only).
const SYLLABLES: [&str; 10] = [
    "An", "Bình", "Chi", "Dung", "Giang", "Hoa", "Khánh", "Lan", "Mai", "Ngọc",
];

fn name_of(mut n: usize) -> String {
    let mut words = Vec::new();
    loop {
        words.push(SYLLABLES[n % 10]);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    words.reverse();
    format!("Nguyễn Thị {}", words.join(" "))
}

fn person(n: usize, commune: &str) -> Value {
    json!({
        "external_id": format!("EX-{n:06}"),
        "full_name": name_of(n),
        "gender": "female",
        "birth_year": 1970 + (n % 30) as i32,
        "commune_code": commune,
    })
}

/// Gets a token, pushes, pushes again, updates one person and pulls the feed.
pub async fn run(config: &Config) -> anyhow::Result<Summary> {
    let mut api = Api::connect(config.clone()).await?;
    let commune = match &config.commune_code {
        Some(code) => code.clone(),
        None => api.default_commune().await?,
    };
    let people: Vec<Value> = (1..=config.people).map(|n| person(n, &commune)).collect();
    let mut summary = Summary::default();
    for round in 0..2 {
        for chunk in people.chunks(config.batch_size.clamp(1, 1000)) {
            let result = api.push(chunk).await?;
            if round == 0 {
                summary.created += result.created;
                summary.updated += result.updated;
            } else {
                summary.unchanged += result.unchanged;
                summary.updated += result.updated;
            }
            summary.queued += result.queued;
            summary.rejected += result.rejected;
        }
    }
    if let Some(first) = people.first() {
        let mut changed = first.clone();
        changed["occupation"] = json!("Giáo viên");
        let result = api.push(&[changed]).await?;
        summary.updated += result.updated;
        summary.rejected += result.rejected;
    }
    let mut cursor = String::new();
    loop {
        let page: ChangePage = serde_json::from_value(
            api.call(
                reqwest::Method::GET,
                &format!("/api/v1/changes?since={cursor}&limit=500"),
                None,
            )
            .await?,
        )?;
        summary.changes_pulled += page.items.len();
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    summary.last_cursor = cursor;
    Ok(summary)
}

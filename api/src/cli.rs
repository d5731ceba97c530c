//! The operator CLI: `cdht serve`, `cdht migrate`, `cdht user …`, `cdht reports …`. It reads
//! the same settings as the server and can run while a server uses the same database.

use crate::configuration::Settings;
use crate::error::ApiError;
use crate::services::accounts;
use crate::startup::{Application, prepare_database};
use crate::telemetry;
use clap::{Args, Parser, Subcommand};
use rand::Rng;
use rand::distributions::Alphanumeric;
use shared::auth::CreateUserRequest;
use std::io::{BufRead, IsTerminal};
use validator::Validate;

/// CDHT: records, assessments and recognition of the "Công dân học tập" programme.
#[derive(Debug, Parser)]
#[command(name = "cdht", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API and the web application (the default).
    Serve,
    /// Apply pending migrations (schema and seed data) and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Check the report counters against the data, or rebuild them.
    #[command(subcommand)]
    Reports(ReportsCommand),
}

#[derive(Debug, Subcommand)]
pub enum ReportsCommand {
    /// Compare the counters with a from-scratch grouping; fails when they differ.
    CheckCounters,
    /// Recompute every counter from scratch in one transaction.
    RebuildCounters,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (the first central administrator is created this way).
    Create(CreateArgs),
    /// Set a new password for an account; its sessions end.
    ResetPassword(ResetArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub username: String,
    /// central_admin, province_officer, commune_officer, branch_officer or viewer.
    #[arg(long)]
    pub role: String,
    /// VN, a 2-digit province code or a 5-digit commune code.
    #[arg(long)]
    pub unit: String,
    #[arg(long)]
    pub full_name: Option<String>,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Args)]
pub struct ResetArgs {
    #[arg(long)]
    pub username: String,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    pub password_stdin: bool,
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = Settings::load()?;
    telemetry::init(&settings);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            prepare_database(&settings).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User(UserCommand::Create(args)) => {
            let password = read_password(args.password_stdin)?;
            let db = prepare_database(&settings).await?;
            let request = CreateUserRequest {
                username: args.username,
                password,
                role: args.role,
                unit: args.unit,
                full_name: args.full_name,
                association_unit_id: None,
            };
            let user = create_account(&db, request).await?;
            println!(
                "Created {} ({}, {} {}).",
                user.username, user.role, user.unit.code, user.unit.name
            );
            Ok(())
        }
        Command::Reports(command) => {
            let db = prepare_database(&settings).await?;
            if matches!(command, ReportsCommand::RebuildCounters) {
                crate::services::reports::rebuild_counters(&db)
                    .await
                    .map_err(describe)?;
                println!("The report counters are rebuilt.");
            }
            let check = crate::services::reports::check_counters(&db)
                .await
                .map_err(describe)?;
            println!(
                "Counter rows differing from the data: {} (reports), {} (members).",
                check.report_rows_differing, check.member_rows_differing
            );
            anyhow::ensure!(check.ok(), "the report counters differ from the data");
            Ok(())
        }
        Command::User(UserCommand::ResetPassword(args)) => {
            let password = read_password(args.password_stdin)?;
            shared::auth::validate_password(&password)
                .map_err(|e| anyhow::anyhow!("password: {}", e.message.unwrap_or_default()))?;
            let db = prepare_database(&settings).await?;
            let account = accounts::find_by_username(&db, &args.username)
                .await
                .map_err(describe)?
                .ok_or_else(|| anyhow::anyhow!("no account is named {}", args.username))?;
            let hash = crate::auth::password::hash(password)
                .await
                .map_err(describe)?;
            accounts::set_password(&db, account, hash)
                .await
                .map_err(describe)?;
            println!(
                "The password of {} is changed; its sessions are ended.",
                args.username
            );
            Ok(())
        }
    }
}

/// Creates an account as the operator, with the same validation as the API.
pub async fn create_account(
    db: &sea_orm::DatabaseConnection,
    request: CreateUserRequest,
) -> anyhow::Result<shared::auth::User> {
    if let Err(errors) = request.validate() {
        let lines: Vec<String> = shared::error::field_errors(&errors)
            .into_iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        anyhow::bail!("{}", lines.join("; "));
    }
    accounts::create_as_operator(db, request)
        .await
        .map_err(describe)
}

fn describe(err: ApiError) -> anyhow::Error {
    let problem = err.problem(None);
    if problem.errors.is_empty() {
        match err {
            ApiError::Internal(cause) => cause,
            _ => anyhow::anyhow!("{}", problem.detail.unwrap_or(problem.title)),
        }
    } else {
        let lines: Vec<String> = problem
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        anyhow::anyhow!("{}", lines.join("; "))
    }
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("no terminal to ask for the password: pass --password-stdin and pipe it");
    }
    let first = rpassword::prompt_password("Password: ")?;
    let second = rpassword::prompt_password("Password again: ")?;
    anyhow::ensure!(first == second, "the two passwords differ");
    Ok(first)
}

/// Prints a line of the start banner; a closed stdout must not stop the server.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let bootstrap = settings.bootstrap_admin;
    let started = std::time::Instant::now();
    let app = Application::build(settings).await?;
    let first_admin = if bootstrap && !accounts::any_exists(app.db()).await.map_err(describe)? {
        Some(bootstrap_admin(app.db()).await?)
    } else {
        None
    };
    let url = app.url();
    tracing::info!(
        url,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "CDHT is serving"
    );
    say("");
    say(&format!("  CDHT is running at {url}/"));
    say(&format!(
        "  API under {url}/api/v1, documentation at {url}/api/docs/"
    ));
    match first_admin {
        Some((username, password)) => {
            say("");
            say("  First start: an administrator account was created.");
            say(&format!("    username: {username}"));
            say(&format!("    password: {password}"));
            say("  This password is shown only once: log in and change it.");
        }
        None => {
            say("  Log in with your account. To create one:");
            say(
                "    cdht user create --username NAME --role central_admin --unit VN --password-stdin",
            );
        }
    }
    say("");
    app.run_until_stopped().await?;
    Ok(())
}

/// Creates the first central administrator, `admin`, with a random password.
async fn bootstrap_admin(db: &sea_orm::DatabaseConnection) -> anyhow::Result<(String, String)> {
    let password: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect();
    let request = CreateUserRequest {
        username: "admin".into(),
        password: password.clone(),
        role: "central_admin".into(),
        unit: "VN".into(),
        full_name: Some("Quản trị viên".into()),
        association_unit_id: None,
    };
    create_account(db, request).await?;
    Ok(("admin".into(), password))
}

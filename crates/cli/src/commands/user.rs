//! `tributary user create`: add a user from the shell (e.g. the first administrator).

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::bail;
use base64::Engine as _;
use clap::{Args, Subcommand};
use tributary_domain::user::UserInput;
use tributary_store::audit::Actor;

use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; without --password-stdin a random password is generated and printed once.
    Create(CreateArgs),
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// admin, channel_manager, finance, legal, marketing, partner_admin or partner_user.
    #[arg(long)]
    pub role: String,
    /// The partner organisation (partner roles).
    #[arg(long)]
    pub partner_id: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn run(settings: &Settings, command: UserCommand) -> anyhow::Result<ExitCode> {
    let UserCommand::Create(args) = command;
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        let bytes: [u8; 15] = rand::random();
        (base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes), true)
    };
    let input = UserInput {
        email: args.email,
        display_name: args.name,
        role: args.role,
        partner_id: args.partner_id,
        password: Some(password.clone()),
    };
    let fields = match input.validate() {
        Ok(fields) => fields,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}: {}", e.field, e.message);
            }
            bail!("the user was not created");
        }
    };
    let db = settings.open_db().await?;
    let mut tx = db.begin().await?;
    let id = tributary_domain::ids::new_id();
    let created =
        tributary_server::services::users::create(&mut tx.conn(), &Actor::system("cli"), &id, &fields, Some(&password))
            .await;
    match created {
        Ok(user) => {
            tx.commit().await?;
            println!("created {} ({}) with id {}", user.email, user.role, user.id);
            if generated {
                println!("password: {password}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            for problem in error.problem().errors {
                eprintln!("{}: {}", problem.field, problem.message);
            }
            bail!("the user was not created: {error}");
        }
    }
}

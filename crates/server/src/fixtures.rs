//! A small, fixed cast for tests and first starts: one vendor user per role, two partners
//! managed by different channel managers, and a distributor with one reseller, each with
//! a partner administrator and a partner user. Everyone's password is [`FIXTURE_PASSWORD`].

use tributary_domain::partner::PartnerInput;
use tributary_domain::user::UserInput;
use tributary_store::Db;
use tributary_store::audit::Actor;

use crate::error::{AppError, AppResult};
use crate::services;

pub const FIXTURE_PASSWORD: &str = "correct horse battery staple";

/// Ids and e-mail addresses of the fixture cast.
#[derive(Debug, Clone)]
pub struct Cast {
    pub admin: String,
    pub cam_a: String,
    pub cam_b: String,
    pub finance: String,
    pub legal: String,
    pub marketing: String,
    /// Partner A (reseller, managed by `cam_a`).
    pub partner_a: String,
    pub partner_a_admin: String,
    pub partner_a_user: String,
    /// Partner B (MSP, managed by `cam_b`).
    pub partner_b: String,
    pub partner_b_admin: String,
    pub partner_b_user: String,
    /// A distributor (managed by `cam_a`) and its reseller.
    pub distributor: String,
    pub distributor_admin: String,
    pub reseller: String,
    pub reseller_user: String,
    /// user id by e-mail.
    pub user_ids: Vec<(String, String)>,
}

impl Cast {
    pub fn user_id(&self, email: &str) -> &str {
        &self
            .user_ids
            .iter()
            .find(|(e, _)| e == email)
            .expect("a fixture e-mail")
            .1
    }
}

async fn user(db: &Db, actor: &Actor, email: &str, role: &str, partner_id: Option<&str>) -> AppResult<String> {
    let fields = UserInput {
        email: email.into(),
        display_name: email.split('@').next().unwrap_or(email).into(),
        role: role.into(),
        partner_id: partner_id.map(str::to_string),
        password: None,
    }
    .validate()
    .map_err(AppError::Validation)?;
    let id = tributary_domain::ids::new_id();
    let mut tx = db.begin().await?;
    services::users::create(&mut tx.conn(), actor, &id, &fields, Some(FIXTURE_PASSWORD)).await?;
    tx.commit().await?;
    Ok(id)
}

async fn partner(
    db: &Db,
    actor: &Actor,
    name: &str,
    kind: &str,
    manager: &str,
    distributor: Option<&str>,
) -> AppResult<String> {
    let fields = PartnerInput {
        name: name.into(),
        partner_type: kind.into(),
        distributor_id: distributor.map(str::to_string),
        size_band: "11-50".into(),
        country: "DE".into(),
        tax_country: "DE".into(),
        payout_currency: "EUR".into(),
        status: Some("active".into()),
        channel_manager_id: Some(manager.to_string()),
        ..Default::default()
    }
    .validate()
    .map_err(AppError::Validation)?;
    let id = tributary_domain::ids::new_id();
    let mut tx = db.begin().await?;
    services::partners::create(&mut tx.conn(), actor, &id, &fields).await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates the cast in an empty database.
pub async fn seed(db: &Db) -> AppResult<Cast> {
    let actor = Actor::system("fixtures");
    let admin = user(db, &actor, "admin@vendor.example", "admin", None).await?;
    let cam_a = user(db, &actor, "cam.a@vendor.example", "channel_manager", None).await?;
    let cam_b = user(db, &actor, "cam.b@vendor.example", "channel_manager", None).await?;
    let finance = user(db, &actor, "finance@vendor.example", "finance", None).await?;
    let legal = user(db, &actor, "legal@vendor.example", "legal", None).await?;
    let marketing = user(db, &actor, "marketing@vendor.example", "marketing", None).await?;
    let partner_a = partner(db, &actor, "Alpha Resellers", "reseller", &cam_a, None).await?;
    let partner_b = partner(db, &actor, "Beta Managed Services", "msp", &cam_b, None).await?;
    let distributor = partner(db, &actor, "Delta Distribution", "distributor", &cam_a, None).await?;
    let reseller = partner(db, &actor, "Rho Resale", "reseller", &cam_a, Some(&distributor)).await?;
    let partner_a_admin = user(db, &actor, "admin@alpha.example", "partner_admin", Some(&partner_a)).await?;
    let partner_a_user = user(db, &actor, "user@alpha.example", "partner_user", Some(&partner_a)).await?;
    let partner_b_admin = user(db, &actor, "admin@beta.example", "partner_admin", Some(&partner_b)).await?;
    let partner_b_user = user(db, &actor, "user@beta.example", "partner_user", Some(&partner_b)).await?;
    let distributor_admin = user(db, &actor, "admin@delta.example", "partner_admin", Some(&distributor)).await?;
    let reseller_user = user(db, &actor, "user@rho.example", "partner_user", Some(&reseller)).await?;
    let user_ids = [
        ("admin@vendor.example", &admin),
        ("cam.a@vendor.example", &cam_a),
        ("cam.b@vendor.example", &cam_b),
        ("finance@vendor.example", &finance),
        ("legal@vendor.example", &legal),
        ("marketing@vendor.example", &marketing),
        ("admin@alpha.example", &partner_a_admin),
        ("user@alpha.example", &partner_a_user),
        ("admin@beta.example", &partner_b_admin),
        ("user@beta.example", &partner_b_user),
        ("admin@delta.example", &distributor_admin),
        ("user@rho.example", &reseller_user),
    ]
    .into_iter()
    .map(|(e, id)| (e.to_string(), id.clone()))
    .collect();
    Ok(Cast {
        admin,
        cam_a,
        cam_b,
        finance,
        legal,
        marketing,
        partner_a,
        partner_a_admin,
        partner_a_user,
        partner_b,
        partner_b_admin,
        partner_b_user,
        distributor,
        distributor_admin,
        reseller,
        reseller_user,
        user_ids,
    })
}

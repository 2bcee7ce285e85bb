//! People who sign in: the vendor's own team (an administrator, six channel managers,
//! finance, legal and marketing, all at tributary.example) and, for every partner, a
//! partner administrator and a partner user at the partner's own domain.

use rand::Rng;
use tributary_domain::partner::{PartnerFields, PartnerStatus, PartnerType};
use tributary_domain::role::Role;
use tributary_domain::user::UserFields;

use crate::names::person;
use crate::random::{Stream, stream, uuid};
use crate::{DemoDataset, DemoUser};

/// How many channel managers (cam1 … cam6) the vendor employs.
pub(crate) const CHANNEL_MANAGERS: usize = 6;

const VENDOR_DOMAIN: &str = "tributary.example";

fn user(rng: &mut impl Rng, email: String, role: Role, partner_id: Option<&str>) -> DemoUser {
    DemoUser {
        id: uuid(rng),
        fields: UserFields {
            email,
            display_name: person(rng),
            role,
            partner_id: partner_id.map(str::to_string),
        },
    }
}

/// The vendor's team; channel managers are in order cam1 … cam6.
pub(crate) fn vendor_users(seed: u64) -> Vec<DemoUser> {
    let mut rng = stream(seed, Stream::VendorUsers);
    let mut users = vec![user(&mut rng, format!("admin@{VENDOR_DOMAIN}"), Role::Admin, None)];
    for n in 1..=CHANNEL_MANAGERS {
        users.push(user(
            &mut rng,
            format!("cam{n}@{VENDOR_DOMAIN}"),
            Role::ChannelManager,
            None,
        ));
    }
    for (local, role) in [
        ("finance", Role::Finance),
        ("legal", Role::Legal),
        ("marketing", Role::Marketing),
    ] {
        users.push(user(&mut rng, format!("{local}@{VENDOR_DOMAIN}"), role, None));
    }
    users
}

/// An administrator (admin@domain) and a user (user@domain) for every partner, in partner order.
pub(crate) fn partner_users(seed: u64, partners: &[(String, PartnerFields)]) -> Vec<DemoUser> {
    let mut rng = stream(seed, Stream::PartnerUsers);
    let mut users = Vec::with_capacity(partners.len() * 2);
    for (id, fields) in partners {
        let domain = fields
            .website_domain
            .as_deref()
            .expect("every demo partner is generated with a website domain");
        users.push(user(&mut rng, format!("admin@{domain}"), Role::PartnerAdmin, Some(id)));
        users.push(user(&mut rng, format!("user@{domain}"), Role::PartnerUser, Some(id)));
    }
    users
}

/// One e-mail per role worth signing in as; roles without a suitable user are left out.
pub(crate) fn credentials(dataset: &DemoDataset) -> Vec<(String, String)> {
    let first = |role: Role, eligible: &dyn Fn(&DemoUser) -> bool| {
        dataset
            .users
            .iter()
            .find(|u| u.fields.role == role && eligible(u))
            .map(|u| (role.as_str().to_string(), u.fields.email.clone()))
    };
    let manages_partners = |u: &DemoUser| {
        dataset
            .partners
            .iter()
            .any(|(_, p)| p.channel_manager_id.as_deref() == Some(u.id.as_str()))
    };
    let active_reseller = dataset
        .partners
        .iter()
        .find(|(_, p)| p.partner_type == PartnerType::Reseller && p.status == PartnerStatus::Active)
        .map(|(id, _)| id.as_str());
    let of_active_reseller =
        |u: &DemoUser| active_reseller.is_some() && u.fields.partner_id.as_deref() == active_reseller;
    [
        first(Role::Admin, &|_| true),
        first(Role::ChannelManager, &manages_partners),
        first(Role::Finance, &|_| true),
        first(Role::Legal, &|_| true),
        first(Role::Marketing, &|_| true),
        first(Role::PartnerAdmin, &of_active_reseller),
        first(Role::PartnerUser, &of_active_reseller),
    ]
    .into_iter()
    .flatten()
    .collect()
}

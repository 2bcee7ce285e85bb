//! Which partners a structure applies to (partner types, regions, saved segment; partners
//! in the program — onboarding or active), and the region whose overridden targets apply
//! to each: the first of the structure's override regions containing the partner's
//! head-office country.

use std::collections::BTreeMap;

use tributary_domain::partner::PartnerStatus;
use tributary_domain::tiering::TierStructure;
use tributary_store::page::{Cursor, PageRequest, Sort};
use tributary_store::repo::partners::{self, Partner, PartnerFilter};
use tributary_store::repo::{regions, segments};
use tributary_store::{Conn, Scope};

use crate::error::{AppError, AppResult};

/// A partner evaluated under a structure.
#[derive(Debug, Clone)]
pub struct Member {
    pub partner_id: String,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
}

/// Region code → its countries.
pub async fn region_countries(conn: &mut Conn<'_>) -> AppResult<BTreeMap<String, Vec<String>>> {
    Ok(regions::list(conn)
        .await?
        .into_iter()
        .map(|r| (r.code, r.countries))
        .collect())
}

/// Every partner visible in `scope` (all pages).
pub async fn every_partner(conn: &mut Conn<'_>, scope: &Scope, filter: &PartnerFilter) -> AppResult<Vec<Partner>> {
    let mut all = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let request = PageRequest {
            sort: Sort {
                column: "created_at",
                descending: false,
            },
            cursor: cursor.take(),
            limit: 1000,
        };
        let page = partners::list(conn, scope, filter, &request).await?;
        all.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(Cursor::decode(&next).map_err(crate::error::internal)?),
            None => return Ok(all),
        }
    }
}

/// The partners `structure` applies to, in a stable order.
pub async fn members(conn: &mut Conn<'_>, structure: &TierStructure) -> AppResult<Vec<Member>> {
    let applicability = &structure.applicability;
    let segment = match &applicability.segment_id {
        Some(id) => Some(
            segments::get(conn, id)
                .await?
                .ok_or_else(|| AppError::Conflict(format!("the structure's segment {id} no longer exists")))?
                .fields
                .filter,
        ),
        None => None,
    };
    let regions = region_countries(conn).await?;
    let in_region = |region: &str, country: &str| {
        regions
            .get(region)
            .is_some_and(|countries| countries.iter().any(|c| c == country))
    };
    let filter = PartnerFilter {
        segment,
        ..PartnerFilter::default()
    };
    let override_regions: Vec<&str> = structure.region_overrides.iter().map(|o| o.region.as_str()).collect();
    Ok(every_partner(conn, &Scope::All, &filter)
        .await?
        .into_iter()
        .filter(|p| matches!(p.fields.status, PartnerStatus::Active | PartnerStatus::Onboarding))
        .filter(|p| {
            applicability.partner_types.is_empty() || applicability.partner_types.contains(&p.fields.partner_type)
        })
        .filter(|p| {
            applicability.regions.is_empty() || applicability.regions.iter().any(|r| in_region(r, &p.fields.country))
        })
        .map(|p| Member {
            region: override_regions
                .iter()
                .find(|r| in_region(r, &p.fields.country))
                .map(|r| r.to_string()),
            partner_id: p.id,
            name: p.fields.name,
            country: p.fields.country,
        })
        .collect())
}

//! Roles: the five vendor roles and two partner roles of the product. A user has exactly one.

crate::code_enum! {
    /// What a user may do; partner roles belong to a partner organisation.
    pub enum Role ("role") {
        Admin => ("admin", "Administrator"),
        ChannelManager => ("channel_manager", "Channel manager"),
        Finance => ("finance", "Finance"),
        Legal => ("legal", "Legal"),
        Marketing => ("marketing", "Marketing"),
        PartnerAdmin => ("partner_admin", "Partner administrator"),
        PartnerUser => ("partner_user", "Partner user"),
    }
}

impl Role {
    /// Partner roles belong to a partner organisation; vendor roles do not.
    pub fn is_partner(self) -> bool {
        matches!(self, Role::PartnerAdmin | Role::PartnerUser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_errors_list_choices() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()).unwrap(), *role);
        }
        let err = Role::parse("boss").unwrap_err();
        assert!(err.contains("'boss' is not a role"), "{err}");
        assert!(err.contains("channel_manager"), "{err}");
        assert_eq!(serde_json::to_string(&Role::PartnerUser).unwrap(), "\"partner_user\"");
    }
}

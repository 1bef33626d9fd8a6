"""The words for the model's codes: each table maps a code (as the data keep it) to the key of
its text, written out so ``python -m simulation.i18n extract`` sees every one.

Data stay keyed by the codes; a text is looked up only to show it: ``t(MOTIVE[code])``.
A table used by one module only lives in that module, in the same form.
"""

from __future__ import annotations

from simulation.messages import N_, t

MOTIVE = {
    "natural_moved": N_("motive.natural_moved"),
    "natural_drifted": N_("motive.natural_drifted"),
    "complaint": N_("motive.complaint"),
    "competitor": N_("motive.competitor"),
    "repositioned": N_("motive.repositioned"),
    "natural": N_("motive.natural"),  # the two natural motives together (Griffin's 68%)
    "not_lost": N_("motive.not_lost"),  # on the firm's lost list, but only a slow buyer
}

STAGE = {
    "active": N_("stage.active"),
    "silent": N_("stage.silent"),
    "forgotten": N_("stage.forgotten"),
    "lost": N_("stage.lost"),
    "never": N_("stage.never"),
}

LIFETIME = {"first": N_("lifetime.first"), "second": N_("lifetime.second")}

OFFER = {  # rule 6's offer kinds (policies.winback.OFFERS)
    "communication": N_("offer.communication"),
    "personalisation": N_("offer.personalisation"),
    "learning": N_("offer.learning"),
    "promotion": N_("offer.promotion"),
    "brand": N_("offer.brand"),
}

WAR_MOVE = {
    "cut": N_("war.move.cut"),
    "tit_for_tat": N_("war.move.tit_for_tat"),
    "entrant": N_("war.move.entrant"),
    "portability": N_("war.move.portability"),
    "steady": N_("war.move.steady"),
}

WAR_RESPONSE = {
    "hold": N_("war.response.hold"),
    "match": N_("war.response.match"),
    "undercut": N_("war.response.undercut"),
    "retention_offers": N_("war.response.retention_offers"),
    "relationship": N_("war.response.relationship"),
    "switching_costs": N_("war.response.switching_costs"),
    "quality": N_("war.response.quality"),
    "welcome_offer": N_("war.response.welcome_offer"),
}

WAR_PERIOD = {
    "before": N_("war.period.before"),
    "during": N_("war.period.during"),
    "after": N_("war.period.after"),
}

# the Price-War Lab's names of its KPIs (metrics.price_war), and of the levels before, during and after
WAR_LABEL = {
    "profit_gain": N_("war.label.profit_gain"),
    "market_share_before": N_("war.label.market_share_before"),
    "share_end_of_war": N_("war.label.share_end_of_war"),
    "share_end": N_("war.label.share_end"),
    "deal_seeker_share_during": N_("war.label.deal_seeker_share_during"),
    "reference_price_during": N_("war.label.reference_price_during"),
    "market_share_came_back": N_("war.label.market_share_came_back"),
    "profit_came_back": N_("war.label.profit_came_back"),
    "rival_profit": N_("war.label.rival_profit"),
}
WAR_LEVEL = {"market_share": N_("war.label.market_share_level"), "profit": N_("war.label.profit_level")}

# KPIs (metrics.outputs.summary, the experiment's kpis), weekly metrics and cost lines
LABEL = {
    "annual_churn_rate": N_("label.annual_churn_rate"),
    "churn_share_natural": N_("label.churn_share_natural"),
    "churn_share_complaint": N_("label.churn_share_complaint"),
    "churn_share_competitor": N_("label.churn_share_competitor"),
    "churn_share_repositioned": N_("label.churn_share_repositioned"),
    "top20_revenue_share": N_("label.top20_revenue_share"),
    "active_customers_end": N_("label.active_customers_end"),
    "customers_end": N_("label.customers_end"),
    "average_customers": N_("label.average_customers"),
    "market_share_end": N_("label.market_share_end"),
    "revenue": N_("label.revenue"),
    "profit": N_("label.profit"),
    "profit_gain": N_("label.profit_gain"),
    "acquisitions": N_("label.acquisitions"),
    "acquisition_conversion": N_("label.acquisition_conversion"),
    "cost_per_acquisition": N_("label.cost_per_acquisition"),
    "retention_cost_per_customer_year": N_("label.retention_cost_per_customer_year"),
    "satisfaction_end": N_("label.satisfaction_end"),
    "trust_end": N_("label.trust_end"),
    "loyal_share_end": N_("label.loyal_share_end"),
    "brand": N_("label.brand"),
    "referral_sales": N_("label.referral_sales"),
    "blocked": N_("label.blocked"),
    "customers": N_("label.customers"),
    "active": N_("label.active"),
    "market_share": N_("label.market_share"),
    "satisfaction": N_("label.satisfaction"),
    "trust": N_("label.trust"),
    "price": N_("label.price"),
    "reference_price": N_("label.reference_price"),
    "deal_seeker_share": N_("label.deal_seeker_share"),
    "defections": N_("label.defections"),
    "winback_win_back_rate": N_("label.winback_win_back_rate"),
    "winback_won_back": N_("label.winback_won_back"),
    "winback_program_cost": N_("label.winback_program_cost"),
    "winback_cost_per_win_back": N_("label.winback_cost_per_win_back"),
    "winback_roi": N_("label.winback_roi"),
    "costs_cost_of_goods": N_("label.costs_cost_of_goods"),
    "costs_acquisition_cost": N_("label.costs_acquisition_cost"),
    "costs_retention_cost": N_("label.costs_retention_cost"),
    "costs_winback_cost": N_("label.costs_winback_cost"),
    "costs_fixed_cost": N_("label.costs_fixed_cost"),
    "costs_thank_you_cost": N_("label.costs_thank_you_cost"),
    "costs_follow_up_cost": N_("label.costs_follow_up_cost"),
    "costs_referral_cost": N_("label.costs_referral_cost"),
    "costs_points_cost": N_("label.costs_points_cost"),
    "costs_bundling_cost": N_("label.costs_bundling_cost"),
    "costs_service_plus_cost": N_("label.costs_service_plus_cost"),
    "costs_key_accounts_cost": N_("label.costs_key_accounts_cost"),
    "costs_contacts_cost": N_("label.costs_contacts_cost"),
    "costs_broad_contacts_cost": N_("label.costs_broad_contacts_cost"),
    "costs_retention_offers_cost": N_("label.costs_retention_offers_cost"),
    "costs_relationship_cost": N_("label.costs_relationship_cost"),
    "costs_quality_upgrade_cost": N_("label.costs_quality_upgrade_cost"),
    "costs_welcome_offer_cost": N_("label.costs_welcome_offer_cost"),
}


def label(code: str) -> str:
    """A readable label for a KPI, weekly metric or cost line; a code without one (e.g. a sweep's
    parameter path ``firms.0.price``) is shown as itself, capitalised."""
    return t(LABEL[code]) if code in LABEL else code.replace("_", " ").capitalize()


# The words a learner may answer an exercise with, besides the code itself: each text lists
# them with " / " between, in every language ("complaint / complaint not handled", "投诉 / …").
ANSWER_WORD = {
    "natural": N_("answer.natural"),
    "complaint": N_("answer.complaint"),
    "competitor": N_("answer.competitor"),
    "repositioned": N_("answer.repositioned"),
    "active": N_("answer.active"),
    "silent": N_("answer.silent"),
    "forgotten": N_("answer.forgotten"),
    "lost": N_("answer.lost"),
    "important_value": N_("answer.important_value"),
    "important_retain": N_("answer.important_retain"),
    "important_develop": N_("answer.important_develop"),
    "important_winback": N_("answer.important_winback"),
    "ordinary_value": N_("answer.ordinary_value"),
    "ordinary_retain": N_("answer.ordinary_retain"),
    "ordinary_develop": N_("answer.ordinary_develop"),
    "no_intent": N_("answer.no_intent"),
    "thank_you": N_("answer.thank_you"),
    "follow_up": N_("answer.follow_up"),
    "referral": N_("answer.referral"),
    "points": N_("answer.points"),
    "bundling": N_("answer.bundling"),
    "service_plus": N_("answer.service_plus"),
    "key_accounts": N_("answer.key_accounts"),
    "contacts": N_("answer.contacts"),
    "relationship": N_("answer.relationship"),
    "hold": N_("answer.hold"),
    "match": N_("answer.match"),
    "undercut": N_("answer.undercut"),
    "retention_offers": N_("answer.retention_offers"),
    "switching_costs": N_("answer.switching_costs"),
    "quality": N_("answer.quality"),
    "show_the_fix": N_("answer.show_the_fix"),
    "answer_with_value": N_("answer.answer_with_value"),
    "simply_invite": N_("answer.simply_invite"),
    "let_go": N_("answer.let_go"),
}

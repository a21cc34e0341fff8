"""Summaries: moderators' bilingual accounts of consultations, outcome reports and feeds."""

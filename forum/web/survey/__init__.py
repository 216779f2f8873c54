"""The survey: answering it (/survey, /survey/t/<token>) and building it (/admin/surveys)."""

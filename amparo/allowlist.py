"""Every URL that answers without signing in. tests/test_urls.py keeps this list and the views'
``@login_not_required`` marks in step: a public view missing here, or listed here but private, fails the suite.

Each part edits only its own section.
"""

PUBLIC_URL_NAMES: frozenset[str] = frozenset(
    {
        # foundation
        "health",
        "set_language",
        "accounts:login",
        "accounts:link",
        "accounts:join",
        # evidence (log, receipts)
        "evidence:log_checkpoint",
        "evidence:log_key",
        "evidence:log_tile",
        "evidence:receipt",
        # intake (witness report pages, tus uploads, partner API)
        "intake:report_start",
        "intake:report",
        "intake:followup",
        "intake:tus_create",
        "intake:tus_upload",
        "intake:api:api-root",
        "intake:api:openapi-json",
        "intake:api:create_report",
        "intake:api:list_reports",
        "intake:api:get_report",
        "intake:api:add_files",
        # public layer
        "public:home",
        "public:points",
        "public:charts",
        "public:incidents",
        "public:incident",
        "public:methodology",
        "public:data",
        "public:download",
        # approved redacted copies on the public layer, their receipts and how to check them
        "redaction:clip",
        "redaction:receipt",
        "redaction:how_to_check",
    }
)

"""The head of the chain of sealed records now lives in its own table (copied in the
pre-migration): the company's old columns go."""


def migrate(cr, version):
    for column in ("verification_seal_number", "verification_seal_hash", "verification_seal_hmac"):
        cr.execute(f'ALTER TABLE res_company DROP COLUMN IF EXISTS "{column}"')  # noqa: S608

-- Rows a row-level check kept out of the marts: which mart and row, which check, why, the
-- run and the evidence sentence. Nothing is dropped silently: every row the extraction wrote
-- is in its mart or here (the audit's warehouse totals check that sum). Small by design
-- (rejections only), so rebuilt whole; rows of held or discarded batches stay out.
select
    rejection_id,
    table_name,
    row_key,
    article_id,
    sentence_idx,
    check_name,
    reason,
    evidence,
    run_id,
    batch_id,
    batch_seq
from {{ publishable(ref('int_row_checks')) }}
where check_name is not null

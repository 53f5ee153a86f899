{#- Shared by the reporting marts (models/reporting). -#}

{#- The newest batch_seq of the facts an incremental reporting mart has consumed (its
    source_batch_seq column); -1 while the mart is empty, so a mart whose first builds found
    nothing to report still picks up the first rows that arrive (max over no rows is null,
    and `batch_seq > null` would hold for no row, ever). -#}
{% macro consumed_batch_seq() -%}
    coalesce((select max(source_batch_seq) from {{ this }}), -1)
{%- endmacro %}

{#- The figures of `candidates` that a change in the same sentence supersedes: the number
    before "auf" in "von 2,20 auf 2,25 Euro" or "hebt die Prognose von 5 auf 7 Prozent" is
    the old value (the extractor types it like the new one, see previous_values in
    src/finnews/extract/figures.py). `pool` holds the figures it may be followed by (same
    article, sentence and metric type, starting right after " auf "). Both need
    figure_id, article_id, sentence_idx, metric_type, char_start, char_end, surface and
    evidence (the sentence). -#}
{% macro superseded_figures(candidates, pool) -%}
    select distinct x.figure_id
    from {{ candidates }} x
    join {{ pool }} y
      on y.article_id = x.article_id
     and y.sentence_idx = x.sentence_idx
     and y.metric_type = x.metric_type
     and y.char_start = x.char_end + 5
    where strpos(x.evidence, x.surface || ' auf ' || y.surface) > 0
{%- endmacro %}

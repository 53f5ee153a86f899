"""Batch-level checks: is this night's batch, taken as a whole, like a healthy night?

One row per audited batch, computed by DuckDB; thresholds from finnews.toml [quality]
(docs/operations.md). A failure holds the batch (no publication carries it until an operator
releases or discards it); later nights' batches publish as usual."""

import great_expectations as gx
import great_expectations.expectations as gxe

from finnews.gate import Check
from finnews.policy import load_policy


def _batch_health() -> gx.ExpectationSuite:
    q = load_policy().quality
    suite = gx.ExpectationSuite(name="batch_health")
    # Most figures name no company of the universe in economy news, but (nearly) all of
    # them doing so means company matching broke.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="share_figures_without_company",
            min_value=0,
            max_value=q.max_share_figures_without_company,
        )
    )
    # Figures per article against the median of the last published batches; null (no
    # verdict) while the history or the batch is too small to compare.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="figures_per_article_vs_history",
            min_value=q.figures_per_article_low,
            max_value=q.figures_per_article_high,
        )
    )
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="share_rejected", min_value=0, max_value=q.max_share_rejected
        )
    )
    # Most articles of financial news quote a figure: a collapse means broken extraction.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(
            column="share_articles_with_figures",
            min_value=q.min_share_articles_with_figures,
            max_value=1,
        )
    )
    # No key twice within the batch's facts.
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeBetween(column="duplicate_keys", min_value=0, max_value=0)
    )
    return suite


CHECKS = [
    Check(
        "batch_health",
        """
        with batch_articles as (
            select article_id, n_figures from marts.dim_articles where batch_id in {batches}
        ),
        batch_figures as (
            select figure_id, company_id from marts.fct_metrics where batch_id in {batches}
        ),
        rejected as (
            select count(distinct table_name || row_key) as n from intermediate.int_row_checks
            where batch_id in {batches} and check_name is not null
        ),
        kept as (
            select
                (select count(*) from batch_figures)
                + (select count(*) from marts.fct_events where batch_id in {batches})
                + (select count(*) from marts.fct_entity_mentions where batch_id in {batches})
                + (select count(*) from marts.fct_company_mentions where batch_id in {batches})
                as n
        ),
        history as (
            select b.batch_id, count(*) / nullif(count(distinct m.article_id), 0) as per_article
            from raw.batches b
            join marts.fct_metrics m using (batch_id)
            where b.status in ('published', 'released') and b.batch_id not in {batches}
            group by b.batch_id, b.batch_seq
            order by b.batch_seq desc
            limit 10
        ),
        this_batch as (
            select sum(n_figures) / nullif(count(*), 0) as per_article, count(*) as n_articles
            from batch_articles
        )
        select
            (select coalesce(avg((company_id is null)::int), 0) from batch_figures)
                as share_figures_without_company,
            case
                when (select count(*) from history) >= {quality.min_history_batches}
                 and (select n_articles from this_batch) >= {quality.min_batch_articles}
                then (select per_article from this_batch)
                     / nullif((select median(per_article) from history), 0)
            end as figures_per_article_vs_history,
            (select n from rejected) / nullif((select n from rejected) + (select n from kept), 0)
                as share_rejected,
            (select coalesce(avg((n_figures > 0)::int), 1) from batch_articles)
                as share_articles_with_figures,
            (select count(*) - count(distinct figure_id) from batch_figures)
                + (select count(*) - count(distinct event_id) from marts.fct_events
                   where batch_id in {batches})
                as duplicate_keys
        """,
        _batch_health,
    ),
]

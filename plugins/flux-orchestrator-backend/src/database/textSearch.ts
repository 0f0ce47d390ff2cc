import { Knex } from 'knex';

/** A trigram index answers terms of this many characters (code points) and more. */
const TRIGRAM = 3;

/**
 * Restricts a query on `flux_resources` to the rows whose searched columns contain `text`, ignoring case: LIKE
 * with escaped wildcards on the lowercased columns the database keeps joined in `search_text` (migration
 * `20261205120000_search_text`), which a trigram index answers on PostgreSQL.
 *
 * A shorter term gives that index nothing to look up: PostgreSQL would read all of it and then every row (4.3 s
 * at 1,000,000 rows), so such a term is tested against an expression the index does not cover, which reads the
 * rows once. (An index of letters and pairs of letters answered a rare short term at once, but the planner,
 * misjudging how common a pair is, then computed that index's expression row by row for a common one: 0.8 s
 * at 100,000 rows instead of 10 ms. Not worth it for a term that is usually the start of a longer one.)
 */
export function whereTextContains(query: Knex.QueryBuilder, text: string) {
  const term = text.toLowerCase();
  const pattern = `%${term.replace(/[\\%_]/g, m => `\\${m}`)}%`;
  const searched =
    [...term].length < TRIGRAM
      ? `(flux_resources.search_text || '')`
      : 'flux_resources.search_text';
  return query.whereRaw(`${searched} like ? escape '\\'`, [pattern]);
}

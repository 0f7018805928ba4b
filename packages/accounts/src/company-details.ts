import type { MethodPayload } from '@threadline/protocol';
import { type Kysely, sql } from 'kysely';
import type { AccountsDatabase } from './database.ts';
import { AccountsError } from './errors.ts';
import { isUuid } from './validation.ts';

/** What `update_company_details` records (validated at the edge by the protocol's schema). */
export type CompanyDetails = Omit<MethodPayload<'update_company_details'>, 'enrich'>;

/**
 * `update_company_details`: the given fields replace theirs, the others stay. Returns all of them.
 * (LiveChat's `enrich` looks the company up on the web; Threadline fetches nothing for anyone.)
 */
export async function updateCompanyDetails(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  details: CompanyDetails,
): Promise<CompanyDetails> {
  const given = Object.fromEntries(
    Object.entries(details).filter(([, value]) => typeof value === 'string'),
  );
  const row = isUuid(organizationId)
    ? await db
        .updateTable('organizations')
        .set({ company_details: sql`company_details || ${JSON.stringify(given)}::jsonb` })
        .where('id', '=', organizationId)
        .returning('company_details')
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AccountsError('not_found', `Organization ${organizationId} does not exist`);
  return row.company_details;
}

/** The organization's company details, `{}` until some are given; undefined for no organization. */
export async function findCompanyDetails(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<CompanyDetails | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const row = await db
    .selectFrom('organizations')
    .select('company_details')
    .where('id', '=', organizationId)
    .executeTakeFirst();
  return row?.company_details;
}

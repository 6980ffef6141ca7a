import type { MessageKey } from '../../i18n/messages.ts';
import { languageName } from '../../i18n/messages.ts';
import type { PartKind } from '../../modules/editorial/documents.ts';
import type { DocGaps, MediaGap, ReferenceGap } from '../../modules/editorial/health.ts';
import type { FieldName } from '../../modules/editorial/fields.ts';
import { dateOf, type AdminPage } from './admin.views.tsx';
import { fieldLabel } from './content.views.tsx';

// The admin's dashboard (docs/admin.md, "Dashboard"), on the home page: what
// is in draft, waiting for review, recently published, and the content's
// health with a link to each field that needs work. Each part is given only
// to whom it is useful (workflow.routes.tsx decides); the lists are bounded.

export interface WorkItem {
  key: string;
  kind: PartKind;
  title: string;
  /** The editor's page, when the editor has this kind of document. */
  href?: string | undefined;
  by: string | null;
  at: string;
  /** Waiting for review: the draft's last save. */
  saved?: { by: string | null; at: string };
}

export interface Linked {
  title: string;
  /** The editor's page of the document (with the field's anchor), when the editor has one. */
  href?: string | undefined;
}

export interface DashboardData {
  drafts?: { items: WorkItem[]; more: number } | undefined;
  review?: WorkItem[] | undefined;
  /** The last publishes: who, when, the first documents of each and how many more. */
  published?: { by: string | null; at: string; docs: Linked[]; more: number }[] | undefined;
  health?: {
    languages: { locale: string; texts: number; translated: number; docs: (DocGaps & Linked & { fields: (FieldName & { href: string })[] })[] }[];
    media: (MediaGap & { title: string })[];
    references?: (ReferenceGap & Linked & { owner: ReferenceGap['owner'] })[] | undefined;
  } | undefined;
}

/** How many documents with gaps a language lists, and fields per document, references and media: the rest is counted. */
export const DASHBOARD_LIMITS = { docs: 25, fields: 40, media: 50, references: 50 } as const;

function WorkTable({ page, id, title, items, none, who, more }: { page: AdminPage; id: string; title: string; items: WorkItem[]; none: string; who: string; more?: number }) {
  const { t } = page;
  const date = dateOf(page);
  const byOn = (by: string | null, at: string) => <>{by ?? t('admin.history.cli')}, <time datetime={at}>{date(at)}</time></>;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {items.length === 0 ? <p>{none}</p> : (
        <div class="table">
          <table aria-labelledby={id}>
            <thead><tr>
              <th scope="col">{t('admin.dashboard.document')}</th><th scope="col">{t('admin.dashboard.kind')}</th><th scope="col">{who}</th>
              {items.some((i) => i.saved) && <th scope="col">{t('admin.dashboard.savedBy')}</th>}
            </tr></thead>
            <tbody>
              {items.map((i) => (
                <tr>
                  <td data-label={t('admin.dashboard.document')}>{i.href ? <a href={i.href}>{i.title}</a> : i.title}</td>
                  <td data-label={t('admin.dashboard.kind')}>{t(`admin.dashboard.kind.${i.kind}`)}</td>
                  <td data-label={who}>{byOn(i.by, i.at)}</td>
                  {i.saved && <td data-label={t('admin.dashboard.savedBy')}>{byOn(i.saved.by, i.saved.at)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more ? <p><a href="/admin/content">{t('admin.dashboard.moreDrafts', { count: more })}</a></p> : null}
    </section>
  );
}

function PublishedTable({ page, rows }: { page: AdminPage; rows: NonNullable<DashboardData['published']> }) {
  const { t } = page;
  const date = dateOf(page);
  const id = 'dash-published';
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t('admin.dashboard.published')}</h2>
      {rows.length === 0 ? <p>{t('admin.dashboard.publishedNone')}</p> : (
        <div class="table">
          <table aria-labelledby={id}>
            <thead><tr><th scope="col">{t('admin.dashboard.publishedBy')}</th><th scope="col">{t('admin.dashboard.documents')}</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label={t('admin.dashboard.publishedBy')}>{r.by ?? t('admin.history.cli')}, <time datetime={r.at}>{date(r.at)}</time></td>
                  <td data-label={t('admin.dashboard.documents')}>
                    {r.docs.map((d, i) => <>{i > 0 && ', '}<Place item={d} /></>)}
                    {r.more > 0 && <span class="hint"> {t('admin.dashboard.moreDocs', { count: r.more })}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const Place = ({ item }: { item: Linked }) => (item.href ? <a href={item.href}>{item.title}</a> : <>{item.title}</>);

function Translations({ page, languages }: { page: AdminPage; languages: NonNullable<DashboardData['health']>['languages'] }) {
  const { t } = page;
  const percent = new Intl.NumberFormat(page.locale, { style: 'percent' });
  if (!languages.length) return null;
  return (
    <section aria-labelledby="health-translations">
      <h3 id="health-translations">{t('admin.health.translations')}</h3>
      {languages.map((l) => {
        const name = languageName(l.locale, page.locale);
        const language = name.charAt(0).toLocaleUpperCase(page.locale) + name.slice(1);
        const missing = l.texts - l.translated;
        const id = `health-${l.locale}`;
        // Floored: a language with one text missing never reads "100 %".
        const share = l.texts ? Math.floor((l.translated / l.texts) * 100) / 100 : 1;
        return (
          <div class="health-language">
            <h4 id={id}>{language}</h4>
            <p>
              <meter min={0} max={Math.max(1, l.texts)} value={l.translated} aria-labelledby={id}>{percent.format(share)}</meter>{' '}
              {missing ? t('admin.health.share', { percent: percent.format(share), translated: l.translated, texts: l.texts, missing }) : t('admin.health.complete', { texts: l.texts })}
            </p>
            {l.docs.length > 0 && (
              <ul class="gaps" aria-labelledby={id}>
                {l.docs.slice(0, DASHBOARD_LIMITS.docs).map((d) => (
                  <li>
                    <Place item={d} /> <span class="hint">{t('admin.health.docMissing', { count: d.missing.length })}</span>
                    <details>
                      <summary>{t('admin.health.which', { title: d.title })}</summary>
                      <ul>
                        {d.fields.slice(0, DASHBOARD_LIMITS.fields).map((f) => <li><a href={f.href}>{fieldLabel(page, f, d)}</a></li>)}
                        {d.fields.length > DASHBOARD_LIMITS.fields && <li>{t('admin.health.moreFields', { count: d.fields.length - DASHBOARD_LIMITS.fields })}</li>}
                      </ul>
                    </details>
                  </li>
                ))}
              </ul>
            )}
            {l.docs.length > DASHBOARD_LIMITS.docs && <p class="hint">{t('admin.health.moreDocs', { count: l.docs.length - DASHBOARD_LIMITS.docs })}</p>}
          </div>
        );
      })}
    </section>
  );
}

function MediaGaps({ page, media }: { page: AdminPage; media: NonNullable<DashboardData['health']>['media'] }) {
  const { t } = page;
  return (
    <section aria-labelledby="health-media">
      <h3 id="health-media">{t('admin.health.media')}</h3>
      {media.length === 0 ? <p>{t('admin.health.mediaNone')}</p> : (
        <>
          <p class="hint">{t('admin.health.mediaHint')}</p>
          <ul class="gaps">
            {media.slice(0, DASHBOARD_LIMITS.media).map((m) => {
              const language = languageName(m.locale, page.locale);
              const what = [m.alt ? t('admin.health.noAlt', { language }) : '', m.caption ? t('admin.health.noCaption', { language }) : ''].filter(Boolean).join(' · ');
              const field = `#field-${m.locale}-${m.alt ? 'alt' : 'caption'}`;
              return <li><a href={`/admin/content/media/${m.id}${field}`}>{m.title}</a> (<code>{m.id}</code>){t('admin.health.colon')}{what}{m.required && <strong class="required"> {t('admin.health.required')}</strong>}</li>;
            })}
          </ul>
          {media.length > DASHBOARD_LIMITS.media && <p class="hint">{t('admin.health.more', { count: media.length - DASHBOARD_LIMITS.media })}</p>}
        </>
      )}
    </section>
  );
}

const blockPlace = (page: AdminPage, ref: ReferenceGap['ref']) =>
  (ref.block ? `, ${page.t('admin.health.inBlock', { n: ref.block.index + 1, kind: page.t(`admin.content.kind.${ref.block.kind}` as MessageKey) })}` : '');

function References({ page, references }: { page: AdminPage; references: NonNullable<NonNullable<DashboardData['health']>['references']> }) {
  const { t } = page;
  const what = (r: ReferenceGap['ref']) => (r.found
    ? t('admin.health.refWrongKind', { id: r.id, found: t(`admin.health.mediaKind.${r.found}`), expected: t(`admin.health.mediaKind.${r.mediaKind ?? 'image'}`) })
    : t('admin.health.refMissing', { target: t(`admin.health.target.${r.target}`), id: r.id }));
  return (
    <section aria-labelledby="health-references">
      <h3 id="health-references">{t('admin.health.references')}</h3>
      {references.length === 0 ? <p>{t('admin.health.referencesNone')}</p> : (
        <ul class="gaps">
          {references.slice(0, DASHBOARD_LIMITS.references).map((r) => (
            <li><Place item={{ title: `${r.title}${blockPlace(page, r.ref)}`, href: r.href }} />{t('admin.health.colon')}{what(r.ref)}</li>
          ))}
        </ul>
      )}
      {references.length > DASHBOARD_LIMITS.references && <p class="hint">{t('admin.health.more', { count: references.length - DASHBOARD_LIMITS.references })}</p>}
    </section>
  );
}

export function Dashboard({ page, data }: { page: AdminPage; data: DashboardData }) {
  const { t } = page;
  const { health } = data;
  return (
    <div class="dashboard">
      {data.drafts && <WorkTable page={page} id="dash-drafts" title={t('admin.dashboard.drafts')} items={data.drafts.items} none={t('admin.dashboard.draftsNone')} who={t('admin.dashboard.savedBy')} more={data.drafts.more} />}
      {data.review && <WorkTable page={page} id="dash-review" title={t('admin.dashboard.review')} items={data.review} none={t('admin.dashboard.reviewNone')} who={t('admin.dashboard.askedBy')} />}
      {data.published && <PublishedTable page={page} rows={data.published} />}
      {health && (
        <section aria-labelledby="dash-health">
          <h2 id="dash-health">{t('admin.health.title')}</h2>
          <p class="hint">{t('admin.health.intro')}</p>
          <Translations page={page} languages={health.languages} />
          <MediaGaps page={page} media={health.media} />
          {health.references && <References page={page} references={health.references} />}
        </section>
      )}
    </div>
  );
}

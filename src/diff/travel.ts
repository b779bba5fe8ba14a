import { relative } from 'node:path';
import { isoDay } from '../data/dates.js';
import { direction } from '../data/status.js';
import type { StatusScheme } from '../data/status.js';
import { CsiError } from '../errors.js';
import type { Audience } from '../model/exempt.js';
import type { AudienceModel } from '../model/withhold.js';
import type { VersionReader } from './source.js';

// A tracker's `previous` and `direction` columns: each item's status at the last
// meeting before the report's, and which way it has moved since. The model is built
// from one version of the data; this reads the plan's history (once, for the build's
// audience: for the public, withheld as the diff withholds it) and sets it beside each item.

/** The tracker columns that need the plan's history. */
export const TRAVEL_COLUMNS = ['previous', 'direction'] as const;

/** The appendix (key) and column of the first tracker that shows a travel column, if any. */
export function travelColumn(model: Pick<AudienceModel, 'appendices'>): { appendix: string; show: string } | undefined {
  for (const a of model.appendices) {
    if (a.kind !== 'recommendations') continue;
    const column = a.columns?.find((c) => (TRAVEL_COLUMNS as readonly string[]).includes(c.show));
    if (column) return { appendix: a.key, show: column.show };
  }
  return undefined;
}

export interface TravelContext {
  /** The build's reader of the plan's history (shared with its other stages that read it). */
  reader: VersionReader;
  dataDir: string;
  cwd: string;
  statuses: StatusScheme;
  audience: Audience;
}

/**
 * The model with each recommendation's `previous` set (Recommendation.previous), where a
 * tracker shows a travel column; else the model as it was. The previous meeting is the
 * last one in the history (report.yaml's meeting_date, or csi.config.yaml's meetings)
 * before the report's own meeting. Outside git, a usage error naming the column.
 */
export async function withTravel<M extends AudienceModel>(model: M, context: TravelContext): Promise<M> {
  const wanted = travelColumn(model);
  if (!wanted) return model;
  const plan = await context.reader.plan(context.audience).catch((e: unknown) => {
    if (!(e instanceof CsiError) || e.code !== 'NOT_A_REPOSITORY') throw e;
    throw new CsiError(
      `appendix "${wanted.appendix}" has a "${wanted.show}" column, read from the plan's history, but the data folder "${relative(context.cwd, context.dataDir) || '.'}" is not in a git repository`,
      { code: 'NOT_A_REPOSITORY', kind: 'usage', hint: 'put the plan in git (git init, git add -A, git commit), or take the column out of its columns:' },
    );
  });
  const today = isoDay(model.meetingDate);
  const before = plan.meetings.filter((m) => m.date < today).at(-1);
  const then = before ? plan.versions[before.index]?.items : undefined;
  const statusThen = new Map((then?.items ?? []).flatMap((i) => (typeof i.fields.status === 'string' ? [[i.id, i.fields.status] as const] : [])));
  const vocabulary = context.statuses.status;
  return {
    ...model,
    appendices: model.appendices.map((a) =>
      a.kind !== 'recommendations' || !before
        ? a
        : {
            ...a,
            groups: a.groups.map((g) => ({
              ...g,
              items: g.items.map((item) => {
                const was = statusThen.get(item.id);
                const way = was !== undefined && item.status !== undefined ? direction(vocabulary, was, item.status) : undefined;
                return { ...item, previous: { meeting: before.date, ...(was !== undefined && { status: was }), ...(way && { direction: way }) } };
              }),
            })),
          },
    ),
  };
}

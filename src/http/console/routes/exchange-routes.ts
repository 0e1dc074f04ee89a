/** The overview (page and JSON series) and the exchange report (page, JSON, CSV): the exchange counters. */
import type express from 'express';
import { buildReport, reportCsv, reportJson } from '../../../exchange/exchange-report';
import type { ConsoleContext } from '../console-context';
import { cl, h, query, send, sessionOf } from '../console-http';
import { html } from '../html';
import { overviewPage, periodForm, periodOf } from '../pages/overview';
import { reportBody } from '../report-html';
import { page } from '../view';

export function exchangeRoutes(r: express.Router, { services, now }: ConsoleContext): void {
  r.get(
    '/',
    h(async (req, res) => {
      const v = cl(res).view;
      const days = periodOf(query(req).get('days'));
      const body = await overviewPage(v, sessionOf(res), services.exchange, days, now(), services.federation);
      send(res, 200, page(v, v.t.overview, body, ['uplot.js', 'overview.js'], ['uplot.css']));
    }),
  );

  r.get(
    '/api/overview',
    h(async (req, res) => {
      const days = periodOf(query(req).get('days'));
      const f = await services.exchange.figures(sessionOf(res), days, now(), { details: false });
      res.status(200).json({
        from: f.from,
        to: f.to,
        days: f.days,
        weekly: f.weekly,
        collections: f.collections.map((c) => ({
          id: c.id,
          title: c.title,
          country: c.country ?? '',
          withheld: c.withheld,
          series: c.series,
        })),
      });
    }),
  );

  r.get(
    '/report',
    h(async (req, res) => {
      const v = cl(res).view;
      const days = periodOf(query(req).get('days'));
      const report = await buildReport(services.exchange, sessionOf(res), days, now());
      const body = html`<div class="no-print">${periodForm(v, '/console/report', days)}<p><button type="button" data-action="print">${v.t.print}</button>
<a href="/console/report.json?days=${days}">JSON</a> · <a href="/console/report.csv?days=${days}">CSV</a></p></div>${reportBody(v.t, report)}`;
      send(res, 200, page(v, v.t.report_for, body));
    }),
  );

  r.get(
    /^\/report\.(json|csv)$/,
    h(async (req, res) => {
      const days = periodOf(query(req).get('days'));
      const report = await buildReport(services.exchange, sessionOf(res), days, now());
      if (req.path.endsWith('.json')) res.status(200).type('application/json').send(reportJson(report));
      else res.status(200).type('text/csv; charset=utf-8').attachment(`exchange-report-${report.to}.csv`).send(reportCsv(report));
    }),
  );
}

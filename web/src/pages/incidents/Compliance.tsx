// An incident against each agreement in force at its time and place, step by step as the server
// reasoned it (in force, covered, who held the place, where the parties stand, what is prohibited),
// with each viewpoint's conclusion. At most a *potential* violation: Truce shows the reasoning and
// never concludes guilt. The step names and conclusions are translated; the server's sentences
// (which name agreements, provisions and places) are shown as it wrote them.
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { Link } from '../../router.tsx'
import type { Compliance } from './api.ts'

export function ComplianceSection({ compliance }: { compliance: Compliance }) {
  const { t } = useI18n()
  if (compliance.evaluations.length === 0) return <p className="empty" data-testid="compliance-none">{t('compliance.none')}</p>
  return (
    <div className="compliance" data-testid="compliance">
      {compliance.evaluations.map((e) => (
        <section key={e.agreementId} className="compliance-agreement" data-testid="compliance-agreement" data-agreement={e.slug} data-conclusion={e.overall.conclusion}>
          <h3><Link to={`/agreements/${encodeURIComponent(e.slug)}`}><bdi>{e.agreement}</bdi></Link></h3>
          <p className={`compliance-overall compliance-${e.overall.conclusion}`} data-testid="compliance-overall">
            <strong>{t(`compliance.conclusion.${e.overall.conclusion}` as MessageKey)}</strong>
            {e.overall.provision && <> · {t('compliance.provision', { number: e.overall.provision })}</>}
            <br /><span lang="en" dir="ltr" className="small">{e.overall.sentence}</span>
          </p>
          <ol className="compliance-steps">
            {e.steps.map((s, i) => (
              <li key={i} data-testid="compliance-step" data-step={s.step} data-outcome={s.outcome}>
                <strong>{t(`compliance.step.${s.step}` as MessageKey)}</strong>: <span className="compliance-outcome">{s.outcome}</span>
                <p className="small" lang="en" dir="ltr">{s.detail}</p>
              </li>
            ))}
          </ol>
          {e.viewpoints.length > 0 && (
            <details>
              <summary>{t('compliance.viewpoints', { count: e.viewpoints.length })}</summary>
              <ul className="plain-list">
                {e.viewpoints.map((v) => (
                  <li key={v.viewpoint} data-viewpoint={v.viewpoint}>
                    <strong><bdi>{v.label}</bdi></strong>: {t(`compliance.conclusion.${v.conclusion}` as MessageKey)}
                    {v.opinion && <span className="muted small"> ({t('compliance.opinion')})</span>}
                    <br /><span className="small" lang="en" dir="ltr">{v.sentence}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
          <p className="small muted">{t('compliance.rulesVersion', { version: e.rulesVersion })}</p>
        </section>
      ))}
      <p className="hint small">{t('compliance.caveat')}</p>
    </div>
  )
}

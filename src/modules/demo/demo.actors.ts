// The demo's armed-actor registry: real groups of the Syrian war with their names in English,
// Arabic script and Russian transliteration, their renames, umbrellas and UN designations, and the
// two co-chairs' lists of who joined the 2016 Cessation of Hostilities, which disagree the way they
// did that spring: the US counts groups that accepted through it (Ahrar al-Sham only
// conditionally), Russia counts those that registered with its Reconciliation Centre and holds
// that Jaysh al-Fatah, with Ahrar al-Sham in it, is a Nusra-led front. Facts are paraphrased from
// public sources and cited in general terms; nothing here is quoted. Every write goes through the
// actors service as the demo party that makes the claim, so each claim has its submission.
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.ts'
import type { Principal } from '../access/access.policy.ts'
import { actorsService } from '../actors/actors.service.ts'
import type { ClaimBody } from '../actors/actors.schemas.ts'
import type { ActorType, NameKind } from '../actors/actors.types.ts'

type DemoName = { kind: NameKind; value: string; lang: string; validFrom?: string; validTo?: string }
type DemoActor = { key: string; type: ActorType; displayName: Record<string, string>; names: DemoName[] }

const UN_LIST = 'UNSC Consolidated List (ISIL and Al-Qaida sanctions)'
const ISSG = 'ISSG statement and the co-chairs\' terms of the Cessation of Hostilities, February 2016'
const US_LIST = 'US co-chair: groups that confirmed acceptance of the Cessation of Hostilities through the United States'
const RU_LIST = 'Russian MoD briefing: groups that joined through the Russian Reconciliation Centre'
const PRESS = 'public statements by the groups, as reported in the press'

export const DEMO_ACTORS: DemoActor[] = [
  { key: 'nusra', type: 'armed_group',
    displayName: { en: 'Jabhat al-Nusra', ar: 'جبهة النصرة', ru: 'Джебхат ан-Нусра', uk: 'Джебхат ан-Нусра' },
    names: [
      { kind: 'name', value: 'Jabhat al-Nusra', lang: 'en', validTo: '2016-07-27' },
      { kind: 'alias', value: 'Al-Nusrah Front for the People of the Levant', lang: 'en' },
      { kind: 'name', value: 'جبهة النصرة', lang: 'ar', validTo: '2016-07-27' },
      { kind: 'alias', value: 'جبهة النصرة لأهل الشام', lang: 'ar' },
      { kind: 'name', value: 'Джебхат ан-Нусра', lang: 'ru', validTo: '2016-07-27' },
      { kind: 'alias', value: 'Фронт ан-Нусра', lang: 'ru' },
      { kind: 'alias', value: 'Dzhebhat al-Nusra', lang: 'en' },
      { kind: 'abbreviation', value: 'JN', lang: 'en' },
    ] },
  { key: 'jfs', type: 'armed_group',
    displayName: { en: 'Jabhat Fateh al-Sham', ar: 'جبهة فتح الشام', ru: 'Джебхат Фатх аш-Шам', uk: 'Джебхат Фатх аш-Шам' },
    names: [
      { kind: 'name', value: 'Jabhat Fateh al-Sham', lang: 'en', validFrom: '2016-07-28', validTo: '2017-01-27' },
      { kind: 'alias', value: 'Jabhat Fatah al-Sham', lang: 'en' },
      { kind: 'name', value: 'جبهة فتح الشام', lang: 'ar', validFrom: '2016-07-28', validTo: '2017-01-27' },
      { kind: 'name', value: 'Джебхат Фатх аш-Шам', lang: 'ru', validFrom: '2016-07-28', validTo: '2017-01-27' },
      { kind: 'abbreviation', value: 'JFS', lang: 'en' },
    ] },
  { key: 'hts', type: 'armed_group',
    displayName: { en: "Hay'at Tahrir al-Sham", ar: 'هيئة تحرير الشام', ru: 'Хайят Тахрир аш-Шам', uk: 'Хайят Тахрір аш-Шам' },
    names: [
      { kind: 'name', value: "Hay'at Tahrir al-Sham", lang: 'en', validFrom: '2017-01-28' },
      { kind: 'name', value: 'هيئة تحرير الشام', lang: 'ar', validFrom: '2017-01-28' },
      { kind: 'name', value: 'Хайят Тахрир аш-Шам', lang: 'ru', validFrom: '2017-01-28' },
      { kind: 'alias', value: 'Hayat Tahrir al-Sham', lang: 'en' },
      { kind: 'abbreviation', value: 'HTS', lang: 'en' },
    ] },
  { key: 'isil', type: 'armed_group',
    displayName: { en: 'Islamic State in Iraq and the Levant (ISIL)', ar: 'تنظيم الدولة الإسلامية في العراق والشام (داعش)', ru: 'Исламское государство Ирака и Леванта (ИГИЛ)', uk: 'Ісламська держава Іраку та Леванту (ІДІЛ)' },
    names: [
      { kind: 'name', value: 'Islamic State in Iraq and the Levant', lang: 'en' },
      { kind: 'previous_name', value: 'Al-Qaida in Iraq', lang: 'en' },
      { kind: 'abbreviation', value: 'ISIL', lang: 'en' },
      { kind: 'abbreviation', value: 'ISIS', lang: 'en' },
      { kind: 'alias', value: 'Daesh', lang: 'en' },
      { kind: 'name', value: 'الدولة الإسلامية في العراق والشام', lang: 'ar' },
      { kind: 'abbreviation', value: 'داعش', lang: 'ar' },
      { kind: 'name', value: 'Исламское государство Ирака и Леванта', lang: 'ru' },
      { kind: 'abbreviation', value: 'ИГИЛ', lang: 'ru' },
      { kind: 'abbreviation', value: 'ДАИШ', lang: 'ru' },
    ] },
  { key: 'ahrar', type: 'armed_group',
    displayName: { en: 'Ahrar al-Sham', ar: 'أحرار الشام', ru: 'Ахрар аш-Шам', uk: 'Ахрар аш-Шам' },
    names: [
      { kind: 'name', value: 'Harakat Ahrar al-Sham al-Islamiyya', lang: 'en' },
      { kind: 'alias', value: 'Ahrar al-Sham', lang: 'en' },
      { kind: 'name', value: 'حركة أحرار الشام الإسلامية', lang: 'ar' },
      { kind: 'alias', value: 'أحرار الشام', lang: 'ar' },
      { kind: 'name', value: 'Ахрар аш-Шам', lang: 'ru' },
    ] },
  { key: 'jaysh-islam', type: 'armed_group',
    displayName: { en: 'Jaysh al-Islam', ar: 'جيش الإسلام', ru: 'Джейш аль-Ислам', uk: 'Джейш аль-Іслам' },
    names: [
      { kind: 'name', value: 'Jaysh al-Islam', lang: 'en' },
      { kind: 'alias', value: 'Jaish al-Islam', lang: 'en' },
      { kind: 'name', value: 'جيش الإسلام', lang: 'ar' },
      { kind: 'name', value: 'Джейш аль-Ислам', lang: 'ru' },
    ] },
  { key: 'jaysh-fatah', type: 'umbrella',
    displayName: { en: 'Jaysh al-Fatah', ar: 'جيش الفتح', ru: 'Джейш аль-Фатх', uk: 'Джейш аль-Фатх' },
    names: [
      { kind: 'name', value: 'Jaysh al-Fatah', lang: 'en', validFrom: '2015-03-24' },
      { kind: 'alias', value: 'Army of Conquest', lang: 'en' },
      { kind: 'name', value: 'جيش الفتح', lang: 'ar', validFrom: '2015-03-24' },
      { kind: 'name', value: 'Джейш аль-Фатх', lang: 'ru', validFrom: '2015-03-24' },
    ] },
  { key: 'fsa', type: 'umbrella',
    displayName: { en: 'Free Syrian Army', ar: 'الجيش السوري الحر', ru: 'Свободная сирийская армия', uk: 'Вільна сирійська армія' },
    names: [
      { kind: 'name', value: 'Free Syrian Army', lang: 'en' },
      { kind: 'abbreviation', value: 'FSA', lang: 'en' },
      { kind: 'name', value: 'الجيش السوري الحر', lang: 'ar' },
      { kind: 'name', value: 'Свободная сирийская армия', lang: 'ru' },
      { kind: 'abbreviation', value: 'ССА', lang: 'ru' },
    ] },
  { key: 'southern-front', type: 'umbrella',
    displayName: { en: 'Southern Front', ar: 'الجبهة الجنوبية', ru: 'Южный фронт', uk: 'Південний фронт' },
    names: [
      { kind: 'name', value: 'Southern Front', lang: 'en' },
      { kind: 'name', value: 'الجبهة الجنوبية', lang: 'ar' },
      { kind: 'name', value: 'Южный фронт', lang: 'ru' },
    ] },
  { key: 'division-13', type: 'armed_group',
    displayName: { en: 'Division 13 (Free Syrian Army)', ar: 'الفرقة 13', ru: '13-я дивизия (ССА)', uk: '13-та дивізія (ВСА)' },
    names: [
      { kind: 'name', value: 'Division 13', lang: 'en' },
      { kind: 'name', value: 'الفرقة 13', lang: 'ar' },
      { kind: 'name', value: '13-я дивизия', lang: 'ru' },
    ] },
  { key: 'zenki', type: 'armed_group',
    displayName: { en: 'Nour al-Din al-Zenki Movement', ar: 'حركة نور الدين الزنكي', ru: 'Движение Нур ад-Дин аз-Зенки', uk: 'Рух Нур ад-Дін аз-Зенкі' },
    names: [
      { kind: 'name', value: 'Nour al-Din al-Zenki Movement', lang: 'en' },
      { kind: 'name', value: 'حركة نور الدين الزنكي', lang: 'ar' },
      { kind: 'name', value: 'Нур ад-Дин аз-Зенки', lang: 'ru' },
    ] },
  { key: 'reconciliation-groups', type: 'militia',
    displayName: { en: 'Local armed formations registered with the Russian Reconciliation Centre', ar: 'تشكيلات مسلحة محلية مسجلة لدى مركز المصالحة الروسي', ru: 'Местные вооружённые формирования, зарегистрированные в Российском центре по примирению', uk: 'Місцеві збройні формування, зареєстровані в Російському центрі з примирення' },
    names: [
      { kind: 'name', value: 'Local armed formations registered with the Russian Reconciliation Centre', lang: 'en' },
      { kind: 'name', value: 'Местные вооружённые формирования', lang: 'ru' },
    ] },
]

/** Who claims what: the party's demo user, the actor, the claim. */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
type DemoClaim = { by: 'us' | 'ru' | 'un'; actor: string; claim: Without<ClaimBody, 'visibility' | 'confidence' | 'restrictedTo'> & { confidence?: 'high' | 'medium' | 'low' } }
type Ref = (key: string) => string

/** Both co-chairs restate the UN list, so their own views exclude the listed groups too. */
const listedByAll = (actor: string, reference: string, listedOn: string, asOf: string): DemoClaim[] =>
  (['un', 'us', 'ru'] as const).map((by) => ({ by, actor, claim: { fact: 'designation', authority: 'UNSC-1267', reference, listedOn, source: UN_LIST, asOf, confidence: 'high' } }))

const bothSay = (actor: string, claim: DemoClaim['claim']): DemoClaim[] => [{ by: 'us', actor, claim }, { by: 'ru', actor, claim }]

function demoClaims(ref: Ref, party: (slug: 'us' | 'ru') => string): DemoClaim[] {
  const joined = (via: 'us' | 'ru', date = '2016-02-27') => ({ fact: 'accession' as const, agreementId: 'syria-coh-2016', guarantorPartyId: party(via), action: 'joined' as const, date })
  return [
    ...listedByAll('nusra', 'QDe.137', '2014-05-14', '2016-02-22'),
    ...listedByAll('isil', 'QDe.115', '2004-10-18', '2016-02-22'),
    // Renames and the merger that made HTS, which both co-chairs treat as the same designated group.
    ...bothSay('jfs', { fact: 'succession', predecessorId: ref('nusra'), kind: 'rename', date: '2016-07-28', source: PRESS, asOf: '2016-07-28', confidence: 'high' }),
    ...bothSay('hts', { fact: 'succession', predecessorId: ref('jfs'), kind: 'merger', date: '2017-01-28', source: PRESS, asOf: '2017-01-28', confidence: 'high' }),
    ...bothSay('zenki', { fact: 'membership', umbrellaId: ref('hts'), role: 'founding faction', validFrom: '2017-01-28', validTo: '2017-07-19', source: PRESS, asOf: '2017-07-20', confidence: 'high' }),
    // Jaysh al-Fatah (Idlib, 2015): both agree Ahrar al-Sham was in it; they differ on what it was.
    ...bothSay('ahrar', { fact: 'membership', umbrellaId: ref('jaysh-fatah'), role: 'founding faction', validFrom: '2015-03-24', source: PRESS, asOf: '2016-03-01', confidence: 'high' }),
    { by: 'us', actor: 'nusra', claim: { fact: 'membership', umbrellaId: ref('jaysh-fatah'), role: 'founding faction', validFrom: '2015-03-24', source: PRESS, asOf: '2016-03-01', confidence: 'high' } },
    { by: 'ru', actor: 'jaysh-fatah', claim: { fact: 'membership', umbrellaId: ref('nusra'), role: 'front led by Jabhat al-Nusra', validFrom: '2015-03-24', source: 'Russian MoD briefing on the groups fighting alongside Jabhat al-Nusra in Idlib', asOf: '2016-03-04', confidence: 'medium' } },
    // The Southern Front and Division 13 as FSA units.
    { by: 'us', actor: 'southern-front', claim: { fact: 'membership', umbrellaId: ref('fsa'), role: 'regional command', source: PRESS, asOf: '2016-02-27', confidence: 'medium' } },
    { by: 'us', actor: 'division-13', claim: { fact: 'membership', umbrellaId: ref('fsa'), role: 'unit', source: PRESS, asOf: '2016-02-27', confidence: 'medium' } },
    // Who joined: the US list.
    { by: 'us', actor: 'jaysh-islam', claim: { ...joined('us'), source: US_LIST, asOf: '2016-02-27', confidence: 'high' } },
    { by: 'us', actor: 'southern-front', claim: { ...joined('us'), source: US_LIST, asOf: '2016-02-27', confidence: 'high' } },
    { by: 'us', actor: 'division-13', claim: { ...joined('us'), source: US_LIST, asOf: '2016-02-27', confidence: 'medium' } },
    { by: 'us', actor: 'ahrar', claim: { ...joined('us'), source: `${US_LIST}; the group's own acceptance was conditional`, asOf: '2016-02-27', confidence: 'low' } },
    // Russia acknowledges Jaysh al-Islam joined (through the US), and lists its own registrations.
    { by: 'ru', actor: 'jaysh-islam', claim: { ...joined('us'), source: ISSG, asOf: '2016-02-27', confidence: 'low' } },
    { by: 'ru', actor: 'reconciliation-groups', claim: { ...joined('ru'), source: RU_LIST, asOf: '2016-03-15', confidence: 'medium' } },
  ]
}

/**
 * Adds the actors and claims to a freshly loaded demo. `principals` are the demo parties' users
 * by party slug (us, ru, un); `partyId` maps a party slug to its id.
 */
export async function loadDemoActors(db: Kysely<DB>, principals: Record<'us' | 'ru' | 'un', Principal>, partyId: (slug: string) => string): Promise<number> {
  const actors = actorsService(db)
  const ids = new Map<string, string>()
  const ref: Ref = (key) => {
    const id = ids.get(key)
    if (!id) throw new Error(`demo actor claim names unknown actor ${key}`)
    return id
  }
  for (const a of DEMO_ACTORS) {
    // The UN Special Envoy's office (the task force's secretariat) registers the actors.
    const made = await actors.create(principals.un, {
      type: a.type, displayName: a.displayName, visibility: 'parties', source: `${UN_LIST}; ${PRESS}`, asOf: '2016-02-22', confidence: 'high',
      names: a.names.map((n) => ({ kind: n.kind, value: n.value, lang: n.lang, validFrom: n.validFrom ?? null, validTo: n.validTo ?? null })),
      // Where each group operated: all in Syria, the Islamic State in Iraq too.
      countries: a.key === 'isil' ? ['SY', 'IQ'] : ['SY'],
    })
    ids.set(a.key, made.id)
  }
  const claims = demoClaims(ref, (slug) => partyId(slug))
  for (const c of claims) {
    await actors.addClaim(principals[c.by], ref(c.actor), { visibility: 'parties', confidence: 'medium', ...c.claim })
  }
  // A claim withdrawn and kept: the US first listed Ahrar al-Sham as joined with high confidence.
  const first = await actors.addClaim(principals.us, ref('ahrar'), {
    fact: 'accession', agreementId: 'syria-coh-2016', guarantorPartyId: partyId('us'), action: 'joined', date: '2016-02-26',
    source: US_LIST, asOf: '2016-02-26', confidence: 'high', visibility: 'parties',
  })
  await actors.retract(principals.us, first.id, 'The group had not confirmed acceptance by the deadline; replaced by a low-confidence claim dated 27 February.')
  return DEMO_ACTORS.length
}

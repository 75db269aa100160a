// The demo scenario, written for Truce from public facts (no text is quoted from the agreements):
// the Syria Cessation of Hostilities of February 2016 and the Minsk II Package of Measures of
// February 2015, with the parties that implemented and monitored them, and one user per role.
import type { PartyKind } from '../../db/schema.ts'
import type { Role } from '../access/access.policy.ts'
import type { CreateAgreement } from '../agreements/agreements.schemas.ts'

export const DEMO_PASSWORD = 'truce-demo'

export type DemoParty = { slug: string; kind: PartyKind; name: Record<string, string> }
export const DEMO_PARTIES: DemoParty[] = [
  { slug: 'us', kind: 'guarantor', name: { en: 'United States of America', ar: 'الولايات المتحدة الأمريكية', ru: 'Соединённые Штаты Америки', uk: 'Сполучені Штати Америки' } },
  { slug: 'ru', kind: 'guarantor', name: { en: 'Russian Federation', ar: 'الاتحاد الروسي', ru: 'Российская Федерация', uk: 'Російська Федерація' } },
  { slug: 'un-osesy', kind: 'monitor', name: { en: 'Office of the UN Special Envoy for Syria', ar: 'مكتب المبعوث الخاص للأمم المتحدة إلى سوريا', ru: 'Канцелярия Специального посланника ООН по Сирии', uk: 'Офіс Спеціального посланника ООН з питань Сирії' } },
  { slug: 'ocha', kind: 'humanitarian', name: { en: 'UN Office for the Coordination of Humanitarian Affairs', ar: 'مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية', ru: 'Управление ООН по координации гуманитарных вопросов', uk: 'Управління ООН з координації гуманітарних питань' } },
  { slug: 'osce', kind: 'monitor', name: { en: 'OSCE (Special Monitoring Mission to Ukraine)', ar: 'منظمة الأمن والتعاون في أوروبا (بعثة المراقبة الخاصة إلى أوكرانيا)', ru: 'ОБСЕ (Специальная мониторинговая миссия в Украине)', uk: 'ОБСЄ (Спеціальна моніторингова місія в Україні)' } },
  { slug: 'ua', kind: 'signatory', name: { en: 'Ukraine', ar: 'أوكرانيا', ru: 'Украина', uk: 'Україна' } },
  { slug: 'orldo', kind: 'signatory', name: { en: 'Representatives of certain areas of the Donetsk and Luhansk regions', ar: 'ممثلو مناطق معينة من منطقتي دونيتسك ولوهانسك', ru: 'Представители отдельных районов Донецкой и Луганской областей', uk: 'Представники окремих районів Донецької та Луганської областей' } },
  { slug: 'de', kind: 'guarantor', name: { en: 'Germany', ar: 'ألمانيا', ru: 'Германия', uk: 'Німеччина' } },
  { slug: 'fr', kind: 'guarantor', name: { en: 'France', ar: 'فرنسا', ru: 'Франция', uk: 'Франція' } },
  { slug: 'public', kind: 'public', name: { en: 'The public', ar: 'الجمهور', ru: 'Общественность', uk: 'Громадськість' } },
]

export type DemoUser = { email: string; displayName: string; party: string; roles: Role[]; locale: 'en' | 'ar' | 'ru' | 'uk' }
export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@truce.demo', displayName: 'Platform administrator', party: 'un-osesy', roles: ['admin'], locale: 'en' },
  { email: 'coordinator.us@truce.demo', displayName: 'US coordination cell', party: 'us', roles: ['coordinator'], locale: 'en' },
  { email: 'coordinator.ru@truce.demo', displayName: 'Russian coordination cell', party: 'ru', roles: ['coordinator'], locale: 'ru' },
  { email: 'monitor@truce.demo', displayName: 'OSCE monitor', party: 'osce', roles: ['monitor'], locale: 'uk' },
  { email: 'analyst@truce.demo', displayName: 'Task force analyst', party: 'un-osesy', roles: ['analyst'], locale: 'en' },
  { email: 'humanitarian@truce.demo', displayName: 'OCHA access coordinator', party: 'ocha', roles: ['humanitarian'], locale: 'ar' },
  { email: 'reporter@truce.demo', displayName: 'Member of the public', party: 'public', roles: ['reporter'], locale: 'ar' },
]

type DemoAgreement = Omit<CreateAgreement, 'parties' | 'restrictedTo'> & {
  owner: string
  parties: { party: string; role: 'signatory' | 'guarantor' | 'secretariat' | 'monitor' | 'observer' }[]
}

export const SYRIA_COH: DemoAgreement = {
  owner: 'un-osesy',
  slug: 'syria-coh-2016',
  title: {
    en: 'Cessation of Hostilities in Syria',
    ar: 'وقف الأعمال العدائية في سوريا',
    ru: 'Прекращение боевых действий в Сирии',
    uk: 'Припинення бойових дій у Сирії',
  },
  summary: {
    en: 'Terms announced jointly by the United States and the Russian Federation, as co-chairs of the International Syria Support Group, on 22 February 2016. Armed groups accepted them through one of the two co-chairs. The cessation took effect at midnight Damascus time on 27 February 2016 and did not cover groups designated as terrorist by the UN Security Council.',
    ar: 'شروط أعلنتها الولايات المتحدة والاتحاد الروسي بصفتهما رئيسين مشاركين للمجموعة الدولية لدعم سوريا في 22 شباط/فبراير 2016، ودخلت حيز التنفيذ منتصف ليل 27 شباط/فبراير 2016 بتوقيت دمشق، ولا تشمل الجماعات التي صنفها مجلس الأمن إرهابية.',
    ru: 'Условия, объявленные США и Россией как сопредседателями Международной группы поддержки Сирии 22 февраля 2016 года. Вступили в силу в полночь 27 февраля 2016 года по дамасскому времени и не распространяются на группировки, признанные террористическими Советом Безопасности ООН.',
  },
  theatre: 'Syria',
  status: 'in_force',
  signedOn: '2016-02-22',
  effectiveFrom: new Date('2016-02-26T22:00:00Z'),
  languages: ['en', 'ar', 'ru'],
  visibility: 'public',
  parties: [
    { party: 'us', role: 'guarantor' },
    { party: 'ru', role: 'guarantor' },
    { party: 'un-osesy', role: 'secretariat' },
    { party: 'ocha', role: 'observer' },
  ],
  provisions: [
    { number: '1', category: 'cessation_of_hostilities', title: { en: 'Acceptance' },
      text: { en: 'A party joins the cessation by confirming to the United States or to the Russian Federation, before the deadline set by the co-chairs, that it accepts these terms.',
        ar: 'ينضم الطرف إلى وقف الأعمال العدائية بإبلاغ الولايات المتحدة أو الاتحاد الروسي بقبوله هذه الشروط قبل الموعد الذي يحدده الرئيسان المشاركان.' } },
    { number: '2', category: 'cessation_of_hostilities', title: { en: 'Ending attacks' },
      text: { en: 'Parties stop attacks of every kind, with any weapon, on the forces of the other parties to the cessation.',
        ar: 'توقف الأطراف الهجمات بجميع أنواعها وبأي سلاح على قوات الأطراف الأخرى في وقف الأعمال العدائية.',
        ru: 'Стороны прекращают нападения любого рода и с применением любого оружия на силы других сторон.' } },
    { number: '3', category: 'cessation_of_hostilities', title: { en: 'No territorial gains' },
      text: { en: 'Parties do not take, or try to take, territory held by another party to the cessation.' } },
    { number: '4', category: 'humanitarian_access', title: { en: 'Humanitarian access' },
      text: { en: 'Parties let humanitarian agencies reach people in need quickly, safely and without obstruction in every area they control, and keep that access going.',
        ar: 'تسمح الأطراف للوكالات الإنسانية بالوصول السريع والآمن ودون عوائق إلى المحتاجين في جميع المناطق الخاضعة لسيطرتها، وتحافظ على استمرار هذا الوصول.' } },
    { number: '5', category: 'cessation_of_hostilities', title: { en: 'Proportionate self-defence' },
      text: { en: 'Force may be used only in self-defence and only in proportion to the threat.' } },
    { number: '6', category: 'exclusion', title: { en: 'Groups not covered' },
      text: { en: 'The cessation does not apply to the Islamic State in Iraq and the Levant, to Jabhat al-Nusra, or to other organisations that the UN Security Council has designated as terrorist. Operations against them may continue.',
        ar: 'لا ينطبق وقف الأعمال العدائية على تنظيم الدولة الإسلامية في العراق والشام ولا على جبهة النصرة ولا على المنظمات الأخرى التي صنفها مجلس الأمن منظمات إرهابية.',
        ru: 'Прекращение боевых действий не распространяется на ИГИЛ, «Джебхат ан-Нусру» и другие организации, признанные Советом Безопасности ООН террористическими.' },
      exclusions: [
        { description: { en: 'Islamic State in Iraq and the Levant (ISIL, Daesh)', ar: 'تنظيم الدولة الإسلامية في العراق والشام (داعش)', ru: 'Исламское государство Ирака и Леванта (ИГИЛ)' }, designationAuthority: 'UNSC-1267', namedGroup: 'ISIL' },
        { description: { en: 'Jabhat al-Nusra', ar: 'جبهة النصرة', ru: 'Джебхат ан-Нусра' }, designationAuthority: 'UNSC-1267', namedGroup: 'Jabhat al-Nusra' },
        { description: { en: 'Other organisations designated as terrorist by the UN Security Council' }, designationAuthority: 'UNSC-1267', namedGroup: null },
      ] },
    { number: '7', category: 'delineation', title: { en: 'Delineation' },
      text: { en: 'The co-chairs, working in the ISSG ceasefire task force with the Office of the UN Special Envoy as its secretariat, map the areas held by the excluded groups so that operations against them do not strike parties to the cessation.' } },
    { number: '8', category: 'monitoring', title: { en: 'Monitoring and communication' },
      text: { en: 'The co-chairs set up channels of communication, receive reports of non-compliance, and bring them to the ceasefire task force so that they are dealt with promptly and de-escalated.' } },
    { number: '9', category: 'political_process', title: { en: 'Political process' },
      text: { en: 'Parties support the UN-facilitated political talks under Security Council resolution 2254 (2015).' } },
    { number: '10', category: 'public_communication', title: { en: 'Informing the public' },
      text: { en: 'The co-chairs and the UN make the terms and the map of the cessation known to the public in Arabic and in the languages of the parties.' } },
  ],
}

export const MINSK_II: DemoAgreement = {
  owner: 'osce',
  slug: 'minsk-ii-2015',
  title: {
    en: 'Package of Measures for the Implementation of the Minsk Agreements (Minsk II)',
    ar: 'مجموعة التدابير لتنفيذ اتفاقيات مينسك (مينسك 2)',
    ru: 'Комплекс мер по выполнению Минских соглашений (Минск-2)',
    uk: 'Комплекс заходів з виконання Мінських угод (Мінськ-2)',
  },
  summary: {
    en: 'Thirteen measures agreed in Minsk on 12 February 2015 by the Trilateral Contact Group (OSCE, Ukraine, Russian Federation) and signed also by representatives of certain areas of the Donetsk and Luhansk regions, backed by the leaders of France, Germany, Russia and Ukraine and endorsed by UN Security Council resolution 2202.',
    uk: 'Тринадцять заходів, погоджених у Мінську 12 лютого 2015 року Тристоронньою контактною групою (ОБСЄ, Україна, Російська Федерація), схвалених резолюцією Ради Безпеки ООН 2202.',
    ru: 'Тринадцать мер, согласованных в Минске 12 февраля 2015 года Трёхсторонней контактной группой (ОБСЕ, Украина, Российская Федерация) и одобренных резолюцией Совета Безопасности ООН 2202.',
  },
  theatre: 'Ukraine',
  status: 'terminated',
  signedOn: '2015-02-12',
  effectiveFrom: new Date('2015-02-14T22:00:00Z'),
  effectiveTo: new Date('2022-02-21T00:00:00Z'),
  languages: ['en', 'ru', 'uk'],
  visibility: 'public',
  parties: [
    { party: 'osce', role: 'signatory' },
    { party: 'osce', role: 'monitor' },
    { party: 'ua', role: 'signatory' },
    { party: 'ru', role: 'signatory' },
    { party: 'orldo', role: 'signatory' },
    { party: 'de', role: 'observer' },
    { party: 'fr', role: 'observer' },
  ],
  provisions: [
    { number: '1', category: 'cessation_of_hostilities', title: { en: 'Ceasefire' },
      text: { en: 'An immediate and complete ceasefire in certain areas of the Donetsk and Luhansk regions from midnight Kyiv time on 15 February 2015, strictly observed.',
        uk: 'Негайне і всеосяжне припинення вогню в окремих районах Донецької та Луганської областей з 00:00 за київським часом 15 лютого 2015 року.',
        ru: 'Немедленное и всеобъемлющее прекращение огня в отдельных районах Донецкой и Луганской областей с 00:00 по киевскому времени 15 февраля 2015 года.' } },
    { number: '2', category: 'weapons_withdrawal', title: { en: 'Withdrawal of heavy weapons' },
      text: { en: 'Both sides pull heavy weapons back by equal distances to create a security zone at least 50 km wide for artillery of 100 mm calibre and above, 70 km for multiple rocket launchers, and 140 km for the heaviest rocket systems and tactical missiles. Government forces withdraw from the actual line of contact; the armed formations of certain areas from the line set in the Minsk Memorandum of 19 September 2014. Withdrawal starts no later than the second day after the ceasefire and ends within 14 days.',
        uk: 'Відведення всіх важких озброєнь обома сторонами на рівні відстані для створення зони безпеки шириною щонайменше 50 км для артилерії калібру 100 мм і більше, 70 км для РСЗВ і 140 км для найважчих реактивних систем і тактичних ракет.' } },
    { number: '3', category: 'monitoring', title: { en: 'OSCE monitoring and verification' },
      text: { en: 'The OSCE monitors and verifies the ceasefire and the withdrawal of heavy weapons from the first day, using all technical means it needs, including satellites, drones and radar.',
        uk: 'ОБСЄ здійснює моніторинг і верифікацію режиму припинення вогню та відведення важких озброєнь з першого дня, використовуючи всі необхідні технічні засоби.' } },
    { number: '4', category: 'political_process', title: { en: 'Dialogue on local elections' },
      text: { en: 'Dialogue on how local elections will be held and on the future regime of these areas starts on the first day after the withdrawal.' } },
    { number: '5', category: 'political_process', title: { en: 'Pardon and amnesty' },
      text: { en: 'Pardon and amnesty by law for people involved in the events in certain areas of the Donetsk and Luhansk regions.' } },
    { number: '6', category: 'humanitarian_access', title: { en: 'Release of detainees' },
      text: { en: 'Release and exchange of all hostages and unlawfully held persons on an all-for-all basis, completed no later than the fifth day after the withdrawal.' } },
    { number: '7', category: 'humanitarian_access', title: { en: 'Humanitarian assistance' },
      text: { en: 'Safe access, delivery, storage and distribution of humanitarian assistance to people in need, on the basis of an international mechanism.',
        uk: 'Забезпечення безпечного доступу, доставки, зберігання і розподілу гуманітарної допомоги тим, хто її потребує, на основі міжнародного механізму.' } },
    { number: '8', category: 'political_process', title: { en: 'Social and economic links' },
      text: { en: 'Agreeing how social and economic links, including pensions and other social payments, are fully restored.' } },
    { number: '9', category: 'delineation', title: { en: 'State border' },
      text: { en: 'Ukraine restores full control of the state border throughout the conflict area, in stages, after local elections and a comprehensive political settlement.' } },
    { number: '10', category: 'weapons_withdrawal', title: { en: 'Foreign forces' },
      text: { en: 'All foreign armed formations, military equipment and mercenaries leave the territory of Ukraine under OSCE monitoring, and illegal groups are disarmed.' } },
    { number: '11', category: 'political_process', title: { en: 'Constitutional reform' },
      text: { en: 'A new constitution with decentralisation as its key element, in force by the end of 2015, with permanent legislation on the special status of certain areas.' } },
    { number: '12', category: 'political_process', title: { en: 'Local elections' },
      text: { en: 'Questions of local elections are discussed and agreed with representatives of certain areas in the Trilateral Contact Group, and the elections follow OSCE/ODIHR standards.' } },
    { number: '13', category: 'monitoring', title: { en: 'Trilateral Contact Group' },
      text: { en: 'The Trilateral Contact Group steps up its work, including through working groups on each part of the measures.' } },
  ],
}

export type DemoStatus = { agreement: string; provision: string; reporter: string; level: 0 | 1 | 2 | 3; asOf: string; evidence: string }
export const DEMO_STATUSES: DemoStatus[] = [
  { agreement: 'syria-coh-2016', provision: '2', reporter: 'coordinator.us@truce.demo', level: 2, asOf: '2016-03-05T00:00:00Z',
    evidence: 'Demo entry: the task force logged a marked fall in reported attacks in the first week, with violations reported in several governorates.' },
  { agreement: 'syria-coh-2016', provision: '4', reporter: 'coordinator.ru@truce.demo', level: 1, asOf: '2016-03-15T00:00:00Z',
    evidence: 'Demo entry: some convoys reached besieged areas; access to several others was still refused.' },
  { agreement: 'minsk-ii-2015', provision: '2', reporter: 'monitor@truce.demo', level: 1, asOf: '2015-03-07T00:00:00Z',
    evidence: 'Demo entry: monitors saw some heavy weapons moved back but could not verify the full withdrawal or the storage sites.' },
  { agreement: 'minsk-ii-2015', provision: '2', reporter: 'monitor@truce.demo', level: 2, asOf: '2015-10-20T00:00:00Z',
    evidence: 'Demo entry: withdrawal of tanks and light artillery was under way and partly verified at storage sites.' },
]

// Synthetic padding for the matching benchmarks: plausible armed-group names in three scripts
// (unit word + descriptor + place or person, in Latin, Arabic and Cyrillic), seeded, so that
// registries of 10k and 100k names can be built for latency and recall@10 at scale.
import { foldName } from '../src/modules/actors/matching/normalize.ts'
import type { RegistryName } from '../src/modules/actors/matching/matcher.ts'
import type { Script } from '../src/modules/actors/actors.types.ts'
import { seededRandom } from '../src/lib/random.ts'

const rng = seededRandom


type Word = readonly [latin: string, arabic: string, russian: string]
const UNITS: Word[] = [
  ['Liwa', 'لواء', 'Лива'], ['Katibat', 'كتيبة', 'Катибат'], ['Kataib', 'كتائب', 'Катаиб'], ['Jaysh', 'جيش', 'Джейш'],
  ['Harakat', 'حركة', 'Харакат'], ['Tajammu', 'تجمع', 'Таджамму'], ['Firqat', 'فرقة', 'Фиркат'], ['Saraya', 'سرايا', 'Сарая'],
  ['Jabhat', 'جبهة', 'Джебхат'], ['Faylaq', 'فيلق', 'Файлак'], ['Alwiyat', 'ألوية', 'Альвият'], ['Quwat', 'قوات', 'Куват'],
]
const DESCRIPTORS: Word[] = [
  ['Shuhada', 'شهداء', 'Шухада'], ['Ahrar', 'أحرار', 'Ахрар'], ['Ansar', 'أنصار', 'Ансар'], ['Suqur', 'صقور', 'Сукур'],
  ['Usud', 'أسود', 'Усуд'], ['Fursan', 'فرسان', 'Фурсан'], ['Abna', 'أبناء', 'Абна'], ['Thuwar', 'ثوار', 'Суар'],
  ['Mujahidi', 'مجاهدي', 'Муджахиди'], ['Rijal', 'رجال', 'Риджал'], ['Ahfad', 'أحفاد', 'Ахфад'], ['Nusur', 'نسور', 'Нусур'],
  ['Junud', 'جنود', 'Джунуд'], ['Humat', 'حماة', 'Хумат'],
]
const PROPER: Word[] = [
  ['Idlib', 'إدلب', 'Идлиб'], ['Halab', 'حلب', 'Халеб'], ['Hama', 'حماة', 'Хама'], ['Homs', 'حمص', 'Хомс'], ['Daraa', 'درعا', 'Дераа'],
  ['al-Qalamoun', 'القلمون', 'Каламун'], ['al-Ghouta', 'الغوطة', 'Гута'], ['al-Raqqa', 'الرقة', 'Ракка'], ['Deir ez-Zor', 'دير الزور', 'Дейр-эз-Зор'],
  ['Latakia', 'اللاذقية', 'Латакия'], ['Saraqib', 'سراقب', 'Саракиб'], ['Tadmur', 'تدمر', 'Тадмор'], ['al-Qusayr', 'القصير', 'Эль-Кусейр'],
  ['al-Zabadani', 'الزبداني', 'Забадани'], ['Douma', 'دوما', 'Дума'], ['Jobar', 'جوبر', 'Джобар'], ['Harasta', 'حرستا', 'Хараста'],
  ['al-Atarib', 'الأتارب', 'Атариб'], ['Manbij', 'منبج', 'Манбидж'], ['Azaz', 'اعزاز', 'Азаз'], ['al-Bab', 'الباب', 'Эль-Баб'],
  ['al-Ghab', 'الغاب', 'Габ'], ['al-Badiya', 'البادية', 'Бадия'], ['al-Furat', 'الفرات', 'Евфрат'], ['Hawran', 'حوران', 'Хауран'],
  ['al-Quneitra', 'القنيطرة', 'Кунейтра'], ['Omar', 'عمر', 'Омар'], ['Khalid', 'خالد', 'Халид'], ['Hamza', 'حمزة', 'Хамза'],
  ['Ali', 'علي', 'Али'], ['Saad', 'سعد', 'Саад'], ['Muawiya', 'معاوية', 'Муавия'], ['Salah al-Din', 'صلاح الدين', 'Салах ад-Дин'],
  ['Usama', 'أسامة', 'Усама'], ['Uthman', 'عثمان', 'Усман'], ['al-Zubayr', 'الزبير', 'Зубейр'], ['Bilal', 'بلال', 'Билал'],
  ['Musab', 'مصعب', 'Мусаб'], ['Tariq', 'طارق', 'Тарик'], ['al-Qaqaa', 'القعقاع', 'Каака'], ['Abu Ubayda', 'أبو عبيدة', 'Абу Убейда'],
  ['Ammar', 'عمار', 'Аммар'], ['Hassan', 'حسن', 'Хасан'], ['Hussein', 'حسين', 'Хусейн'], ['al-Abbas', 'العباس', 'Аббас'],
  ['Maarat', 'معرة', 'Маарат'], ['Kafr Nabl', 'كفرنبل', 'Кафр-Набль'], ['Ariha', 'أريحا', 'Ариха'], ['Talbiseh', 'تلبيسة', 'Тальбисе'],
  ['al-Rastan', 'الرستن', 'Растан'], ['Inkhil', 'إنخل', 'Инхиль'], ['Nawa', 'نوى', 'Нава'], ['Busra', 'بصرى', 'Бусра'],
  ['al-Mayadin', 'الميادين', 'Эль-Маядин'], ['al-Bukamal', 'البوكمال', 'Абу-Кемаль'], ['Sarmada', 'سرمدا', 'Сармада'], ['Darayya', 'داريا', 'Дарайя'],
]
export function syntheticNames(count: number, avoid: Set<string>, seed: number): RegistryName[] {
  const random = rng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
  const out: RegistryName[] = []
  const seen = new Set<string>()
  let actor = 0
  while (out.length < count) {
    const unit = pick(UNITS)
    const parts: Word[] = [unit]
    const shape = random()
    if (shape < 0.45) parts.push(pick(DESCRIPTORS), pick(PROPER))
    else if (shape < 0.8) parts.push(pick(PROPER), pick(PROPER))
    else parts.push(pick(DESCRIPTORS), pick(PROPER), pick(PROPER))
    const render = (script: 0 | 1 | 2) => parts.map((w) => w[script]).join(' ')
    const latin = render(0)
    const k = foldName(latin)
    if (seen.has(k) || avoid.has(k)) continue
    seen.add(k)
    const id = `syn:${actor++}`
    const variants: [string, Script][] = [[latin, 'Latn']]
    if (random() < 0.3) variants.push([render(1), 'Arab'])
    if (random() < 0.3) variants.push([render(2), 'Cyrl'])
    variants.forEach(([value, script], i) => {
      if (out.length < count) out.push({ actorId: id, nameId: `${id}:${i}`, value, kind: 'name', lang: null, script, validFrom: null, validTo: null })
    })
  }
  return out
}


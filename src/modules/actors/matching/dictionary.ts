// The cross-language dictionary of generic terms: the words armed groups' names are built from
// (front, army, brigade, movement, liberation, Levant, glory, youth, tribes …) and places whose
// names the languages write differently (Damascus / Dimashq / Дамаск), in English and French, as
// transliterated from Arabic (jabhat, jaysh, liwa), in Arabic script and in Russian, both
// translated (фронт, армия) and transliterated (джебхат, джейш); and numbers and ordinals ("5th",
// "Fifth", "الخامس", "пятый"). A word found here matches its equivalents in any script by meaning
// ("Army of Glory" = Jaysh al-Izza, "Party of God" = Hizb Allah), and a generic one weighs less
// than a name's distinctive words: "Jaysh al-Islam" and "Jaysh al-Fatah" share only "army".
import type { Script } from '../actors.types.ts'
import { foldText, stripArabicArticle } from './normalize.ts'
import { cyrillicPhonetic, latinPhonetics, vocalic } from './translit.ts'

export type GenericTerm = {
  /** Stable id of the meaning, e.g. "front". */
  concept: string
  /** How much the word says about which group a name means, 0..1 (a distinctive word is 1). */
  weight: number
  /** English words (plural -s is also accepted for these). */
  en: string[]
  /** Latin transliterations of the Arabic (or Kurdish, Persian) word; spelling variants are found by their vocalic key. */
  translit: string[]
  /** Arabic script, as written (folded and article-stripped when loaded). */
  ar: string[]
  /** Russian: stems of translations (армия → "арми"), and transliterations. */
  ru: string[]
}

export const GENERIC_TERMS: readonly GenericTerm[] = [
  // The kinds of unit a group is.
  { concept: 'front', weight: 0.3, en: ['front'], translit: ['jabhat', 'jabha', 'jabhah', 'jebhat', 'jabhet', 'djebhat', 'jebha', 'jabhe'], ar: ['جبهة'], ru: ['фронт', 'джебхат', 'джабхат', 'джабха'] },
  { concept: 'army', weight: 0.3, en: ['army', 'armies', 'armee'], translit: ['jaysh', 'jaish', 'jeish', 'jaych', 'jesh', 'jish', 'jayish', 'lashkar', 'laskar', 'sipah', 'sepah'], ar: ['جيش', 'جيوش'], ru: ['арми', 'джейш', 'джаиш', 'джиш'] },
  { concept: 'brigade', weight: 0.3, en: ['brigade'], translit: ['liwa', 'liwaa', 'alwiya', 'alwiyat', 'alwiyah', 'alwiyya'], ar: ['لواء', 'ألوية'], ru: ['бригад', 'лива', 'альвия'] },
  { concept: 'battalion', weight: 0.3, en: ['battalion', 'bataillon'], translit: ['katiba', 'katibat', 'katibah', 'kataib', 'kataeb', 'katebat', 'katayib', 'kataaib'], ar: ['كتيبة', 'كتائب'], ru: ['батальон', 'катиба', 'катибат', 'катаиб', 'катаеб'] },
  { concept: 'company', weight: 0.3, en: ['company', 'companies', 'detachment'], translit: ['saraya', 'sariya', 'sariyya', 'sarayat'], ar: ['سرايا', 'سرية'], ru: ['рота', 'роты', 'сарая', 'сарайя'] },
  { concept: 'regiment', weight: 0.3, en: ['regiment'], translit: ['fawj', 'fauj', 'afwaj'], ar: ['فوج', 'أفواج'], ru: ['полк'] },
  { concept: 'division', weight: 0.3, en: ['division'], translit: ['firqa', 'firqat', 'firqah', 'firka'], ar: ['فرقة'], ru: ['дивизи', 'фирка', 'фиркат'] },
  { concept: 'corps', weight: 0.3, en: ['corps', 'legion'], translit: ['faylaq', 'failaq', 'feilaq', 'faylak', 'failak', 'filaq'], ar: ['فيلق'], ru: ['корпус', 'легион', 'файлак', 'фейлак', 'файляк'] },
  { concept: 'forces', weight: 0.3, en: ['forces', 'force'], translit: ['quwat', 'quwwat', 'qowat', 'quwa', 'qwat'], ar: ['قوات', 'قوة'], ru: ['сил', 'кувват', 'куват'] },
  { concept: 'units', weight: 0.3, en: ['units', 'unit', 'unites'], translit: ['wahdat', 'wehdat', 'yekineyen'], ar: ['وحدات', 'وحدة'], ru: ['отряд', 'подразделени', 'вахдат'] },
  { concept: 'movement', weight: 0.3, en: ['movement', 'mouvement'], translit: ['harakat', 'haraka', 'harakah', 'harakeh', 'harkat', 'harekat', 'tehrik', 'tehreek', 'tahrik', 'tahreek', 'tehrike'], ar: ['حركة'], ru: ['движени', 'харакат', 'харака'] },
  { concept: 'group', weight: 0.3, en: ['group', 'groupe'], translit: ['jamaat', 'jamaa', 'jamaah', 'jemaah', 'djamaat', 'gamaa', 'jamat', 'jamaatu', 'jemaat', 'dzhamaat'], ar: ['جماعة'], ru: ['групп', 'группировк', 'джамаат', 'джамаа'] },
  { concept: 'organization', weight: 0.35, en: ['organization', 'organisation', 'committee', 'committees', 'body', 'commission', 'authority', 'comite'], translit: ['hayat', 'haya', 'hayah', 'haiat', 'hayet', 'hayaat', 'tanzim', 'tanzeem', 'munazzama', 'munazzamat', 'munazamat', 'lajna', 'lajnat', 'lijan'], ar: ['هيئة', 'تنظيم', 'منظمة', 'لجنة', 'لجان'], ru: ['организаци', 'комитет', 'комисси', 'хайят', 'хейят', 'хаят', 'хайат', 'танзим'] },
  { concept: 'party', weight: 0.3, en: ['party', 'parti'], translit: ['hizb', 'hezb', 'hizbi'], ar: ['حزب'], ru: ['парти', 'хизб'] },
  { concept: 'union', weight: 0.35, en: ['union'], translit: ['ittihad', 'itihad', 'ittehad', 'itihaad', 'ittihaad'], ar: ['اتحاد'], ru: ['союз', 'иттихад'] },
  { concept: 'council', weight: 0.35, en: ['council', 'conseil'], translit: ['majlis', 'majles', 'mejlis'], ar: ['مجلس'], ru: ['совет', 'меджлис', 'маджлис'] },
  { concept: 'gathering', weight: 0.35, en: ['gathering', 'assembly', 'grouping', 'bloc', 'rassemblement'], translit: ['tajammu', 'tajamu', 'tajamo'], ar: ['تجمع'], ru: ['объединени', 'таджамму'] },
  { concept: 'coalition', weight: 0.35, en: ['coalition', 'alliance'], translit: ['tahaluf', 'itilaf', 'ittilaf', 'etelaf'], ar: ['تحالف', 'ائتلاف'], ru: ['коалици', 'альянс'] },
  { concept: 'league', weight: 0.35, en: ['league', 'leagues', 'bands', 'ligue'], translit: ['asaib', 'asaeb', 'asayib'], ar: ['عصائب', 'عصبة'], ru: ['лиг', 'асаиб'] },
  { concept: 'network', weight: 0.35, en: ['network', 'reseau'], translit: ['shabaka', 'shabakat'], ar: ['شبكة'], ru: ['сет', 'мереж'] },
  { concept: 'operations', weight: 0.35, en: ['operations', 'operation', 'operationnelle'], translit: ['amaliyat', 'amaliyyat', 'amaliya'], ar: ['عمليات', 'عملية'], ru: ['операци', 'операционн'] },
  { concept: 'command', weight: 0.35, en: ['command', 'commandement', 'headquarters'], translit: ['qiyada', 'qiyadat', 'qiyadah'], ar: ['قيادة'], ru: ['командовани', 'штаб'] },
  { concept: 'government', weight: 0.35, en: ['government', 'gouvernement'], translit: ['hukuma', 'hukumat', 'hukumah'], ar: ['حكومة'], ru: ['правительств'] },
  { concept: 'society', weight: 0.35, en: ['society', 'association'], translit: ['jamiat', 'jamiyat', 'jamiyya', 'jamiyyat', 'jamiya', 'jamiyah', 'dzemijjetul', 'dzemilijati'], ar: ['جمعية'], ru: ['обществ', 'ассоциаци'] },
  { concept: 'foundation', weight: 0.35, en: ['foundation', 'fondation'], translit: ['muassasa', 'muassasat', 'muasasa'], ar: ['مؤسسة'], ru: ['фонд'] },
  // What a group says it is for, or who it says it is.
  { concept: 'liberation', weight: 0.5, en: ['liberation'], translit: ['tahrir', 'tahreer'], ar: ['تحرير'], ru: ['освобождени', 'тахрир'] },
  { concept: 'levant', weight: 0.6, en: ['levant'], translit: ['sham', 'shaam', 'cham'], ar: ['شام'], ru: ['левант', 'шам'] },
  // The nisba adjective ("Levantine", al-Shamiya) is another word than the name of the land: Jabhat
  // al-Shamiya is not Jabhat Fateh al-Sham, though an English "Levant Front" renders it.
  { concept: 'levantine', weight: 0.6, en: ['levantine'], translit: ['shami', 'shamiya', 'shamiyya', 'shamiyah', 'shamia', 'chamia', 'chamiya'], ar: ['شامي', 'شامية'], ru: ['шамия', 'шамийя', 'шамиййа'] },
  { concept: 'syria', weight: 0.45, en: ['syria', 'syrian', 'syrie', 'syrienne', 'syrien'], translit: ['suriya', 'souria', 'suriyya', 'suri', 'souri', 'suriyah'], ar: ['سوريا', 'سورية', 'سوري'], ru: ['сири', 'сирийск'] },
  { concept: 'state', weight: 0.45, en: ['state', 'etat'], translit: ['dawla', 'dawlat', 'dawlah', 'daula', 'dowla', 'dawlet'], ar: ['دولة'], ru: ['государств', 'даула', 'дауля', 'давля'] },
  { concept: 'islamic', weight: 0.3, en: ['islamic', 'islamique', 'islamiste', 'islamist'], translit: ['islami', 'islamiya', 'islamiyya', 'islamiyah', 'islamia', 'islamiyyah', 'islamiyeh', 'islamiyyeh'], ar: ['إسلامي', 'إسلامية'], ru: ['исламск', 'исламистск', 'ислами', 'исламия', 'исламийя'] },
  { concept: 'islam', weight: 0.5, en: ['islam'], translit: [], ar: ['إسلام'], ru: ['ислам'] },
  { concept: 'muslims', weight: 0.5, en: ['muslims', 'muslim', 'musulmans'], translit: ['muslimin', 'muslimeen', 'muslimun', 'moslemin'], ar: ['مسلمين', 'مسلمون'], ru: ['мусульман', 'муслимин'] },
  { concept: 'believers', weight: 0.55, en: ['believers', 'faithful', 'croyants'], translit: ['muminin', 'mumineen', 'muminun', 'moumenin'], ar: ['مؤمنين', 'مؤمنون'], ru: ['верующ', 'муминин'] },
  { concept: 'conquest', weight: 0.55, en: ['conquest', 'conquete'], translit: ['fath', 'fateh', 'fatah', 'fatih', 'fatth'], ar: ['فتح'], ru: ['завоевани', 'фатх', 'фатах', 'фатых'] },
  // Freedom, liberty: the noun of "free" (hurriya, свобода, Freiheit), a word apart from it.
  { concept: 'freedom', weight: 0.5, en: ['freedom', 'liberty', 'liberte'], translit: ['hurriya', 'hurriyya', 'hurriyah', 'horriya', 'azadi', 'svoboda'], ar: ['حرية'], ru: ['свобод'] },
  { concept: 'free', weight: 0.5, en: ['free', 'libre', 'libres'], translit: ['hurr', 'hur'], ar: ['حر', 'حرة'], ru: ['свободн', 'хурр'] },
  { concept: 'freemen', weight: 0.5, en: ['freemen', 'hommeslibres'], translit: ['ahrar'], ar: ['أحرار'], ru: ['ахрар'] },
  { concept: 'men', weight: 0.4, en: ['men', 'hommes'], translit: ['rijal', 'rejal', 'rijaal'], ar: ['رجال'], ru: ['мужчин', 'риджал'] },
  { concept: 'women', weight: 0.5, en: ['women', 'woman', 'femmes', 'femme'], translit: ['nisa', 'nisaa', 'jin'], ar: ['نساء'], ru: ['женск', 'женщин'] },
  { concept: 'youth', weight: 0.5, en: ['youth', 'youths', 'jeunesse', 'jeunes'], translit: ['shabab', 'shabaab', 'chabab'], ar: ['شباب'], ru: ['молодеж', 'шабаб'] },
  { concept: 'emigrants', weight: 0.5, en: ['emigrants', 'migrants', 'emigres', 'immigrants', 'emigrant'], translit: ['muhajirin', 'muhajireen', 'mouhajirine', 'muhajiroun', 'muhajirun', 'mohajerin', 'muhajir'], ar: ['مهاجرين', 'مهاجرون', 'مهاجر'], ru: ['мухаджир', 'переселенц', 'эмигрант'] },
  { concept: 'descendants', weight: 0.5, en: ['grandsons', 'descendants', 'grandchildren', 'heirs', 'petitsfils'], translit: ['ahfad', 'ahfaad'], ar: ['أحفاد'], ru: ['потомк', 'внук', 'ахфад'] },
  { concept: 'prophet', weight: 0.5, en: ['prophet', 'messenger', 'prophete'], translit: ['rasul', 'rasoul', 'rasool', 'nabi'], ar: ['رسول', 'نبي'], ru: ['пророк', 'посланник', 'расул'] },
  { concept: 'commandos', weight: 0.55, en: ['commandos', 'commando', 'rangers'], translit: ['maghawir', 'mughawir', 'maghaweer', 'maghawer'], ar: ['مغاوير'], ru: ['коммандос', 'спецназ', 'магавир'] },
  { concept: 'knights', weight: 0.55, en: ['knights', 'knight', 'horsemen', 'cavaliers', 'chevaliers'], translit: ['fursan', 'forsan', 'foursan', 'fursaan'], ar: ['فرسان'], ru: ['рыцар', 'всадник', 'фурсан'] },
  { concept: 'dawn', weight: 0.55, en: ['dawn', 'aube'], translit: ['fajr', 'fadjr', 'fajer', 'zarya'], ar: ['فجر'], ru: ['рассвет', 'заря', 'зари', 'фаджр'] },
  { concept: 'sword', weight: 0.55, en: ['sword', 'swords', 'epee', 'sabre'], translit: ['sayf', 'saif', 'seif', 'suyuf', 'suyouf'], ar: ['سيف', 'سيوف'], ru: ['меч', 'сейф', 'саиф'] },
  { concept: 'shield', weight: 0.55, en: ['shield', 'bouclier'], translit: ['dir', 'dira', 'diraa', 'duru', 'doru'], ar: ['درع', 'دروع'], ru: ['щит'] },
  { concept: 'whirlwind', weight: 0.55, en: ['whirlwind', 'cyclone', 'tourbillon', 'tornado'], translit: ['zawbaa', 'zawba', 'zoubaa', 'zawbaah', 'zawbaa'], ar: ['زوبعة'], ru: ['вихр', 'смерч'] },
  { concept: 'storm', weight: 0.55, en: ['storm', 'tempest', 'tempete'], translit: ['asifa', 'asifat', 'assifa'], ar: ['عاصفة'], ru: ['бур', 'шторм', 'асифа'] },
  { concept: 'thunderbolt', weight: 0.55, en: ['thunderbolt', 'lightning', 'foudre'], translit: ['saiqa', 'saeqa', 'saiqah'], ar: ['صاعقة'], ru: ['молни'] },
  { concept: 'volcano', weight: 0.55, en: ['volcano', 'volcan'], translit: ['burkan', 'borkan'], ar: ['بركان'], ru: ['вулкан'] },
  { concept: 'wrath', weight: 0.55, en: ['wrath', 'anger', 'fury', 'colere'], translit: ['ghadab', 'ghadhab'], ar: ['غضب'], ru: ['гнев', 'ярост'] },
  { concept: 'flood', weight: 0.55, en: ['flood', 'deluge'], translit: ['tufan', 'toufan'], ar: ['طوفان'], ru: ['потоп'] },
  { concept: 'banner', weight: 0.5, en: ['banner', 'banners', 'flag', 'bannieres'], translit: ['raya', 'rayat', 'rayah'], ar: ['راية', 'رايات'], ru: ['знам'] },
  { concept: 'mountain', weight: 0.5, en: ['mountain', 'mountains', 'mount', 'montagne'], translit: ['jabal', 'jebel', 'djebel', 'jibal'], ar: ['جبل', 'جبال'], ru: ['гор', 'джебель', 'джабаль'] },
  { concept: 'coast', weight: 0.5, en: ['coast', 'coastal', 'littoral', 'cote', 'cotiere'], translit: ['sahil', 'sahel', 'sahili', 'sahiliya', 'sahiliyya'], ar: ['ساحل', 'ساحلي', 'ساحلية'], ru: ['побереж', 'прибрежн'] },
  { concept: 'desert', weight: 0.5, en: ['desert', 'desertique'], translit: ['sahra', 'sahraa', 'sahara', 'badiya', 'badia', 'badiyah'], ar: ['صحراء', 'بادية'], ru: ['пустын'] },
  { concept: 'countryside', weight: 0.4, en: ['countryside', 'rural', 'campagne'], translit: ['rif', 'reef'], ar: ['ريف'], ru: ['сельск', 'пригород'] },
  { concept: 'valley', weight: 0.45, en: ['valley', 'vallee'], translit: ['wadi'], ar: ['وادي'], ru: ['долин'] },
  { concept: 'greater', weight: 0.4, en: ['greater', 'great', 'grand', 'grande'], translit: ['kubra', 'kabir', 'kabira', 'kubraa'], ar: ['كبرى', 'كبير', 'كبيرة'], ru: ['больш', 'велик'] },
  { concept: 'central', weight: 0.45, en: ['central', 'centrale', 'centre', 'center'], translit: ['wusta'], ar: ['وسطى'], ru: ['центральн', 'центр'] },
  { concept: 'peninsula', weight: 0.45, en: ['peninsula', 'peninsule'], translit: ['jazira', 'jazirat', 'jazeera'], ar: ['جزيرة'], ru: ['полуостров'] },
  { concept: 'sons', weight: 0.4, en: ['sons', 'children', 'fils', 'enfants'], translit: ['abna', 'abnaa', 'abnah'], ar: ['أبناء'], ru: ['сынов', 'сыновья', 'абна'] },
  { concept: 'heroes', weight: 0.55, en: ['heroes', 'hero', 'heros'], translit: ['abtal', 'abtaal', 'batal'], ar: ['أبطال', 'بطل'], ru: ['геро', 'абталь'] },
  { concept: 'companions', weight: 0.55, en: ['companions', 'compagnons'], translit: ['sahaba', 'sahabah', 'sahabeh'], ar: ['صحابة'], ru: ['сподвижник', 'сахаба'] },
  { concept: 'supporters', weight: 0.5, en: ['supporters', 'partisans', 'helpers', 'followers', 'devotees'], translit: ['ansar', 'ansaar'], ar: ['أنصار'], ru: ['сторонник', 'ансар', 'помощник'] },
  // Nusra, "support" or "succour": another word than nasr, "victory" (Jabhat al-Nusra is not Jaysh al-Nasr).
  { concept: 'support', weight: 0.55, en: ['support', 'soutien'], translit: ['nusra', 'nusrah', 'nusrat', 'nosra', 'nousra'], ar: ['نصرة'], ru: ['поддержк'] },
  { concept: 'soldiers', weight: 0.5, en: ['soldiers', 'soldier', 'troops', 'soldats'], translit: ['jund', 'ajnad', 'junud', 'jounoud'], ar: ['جند', 'أجناد', 'جنود'], ru: ['солдат', 'воин', 'джунд', 'аджнад'] },
  { concept: 'defenders', weight: 0.5, en: ['defenders', 'protectors', 'defenseurs'], translit: ['humat', 'humaat'], ar: [], ru: ['защитник'] },
  { concept: 'fedayeen', weight: 0.5, en: ['fedayeen', 'fedayin'], translit: ['fidaiyin', 'fidaiyeen', 'fedaiyin', 'fidayin', 'fidaiyun'], ar: ['فدائيين', 'فدائيون'], ru: ['федаин', 'федаи'] },
  { concept: 'people', weight: 0.3, en: ['people', 'peoples', 'popular', 'peuple', 'populaire'], translit: ['ahl', 'ahel', 'ahle', 'shabi', 'gel'], ar: ['أهل', 'شعب', 'شعبي', 'شعبية'], ru: ['народн', 'народ', 'люд', 'ахль', 'ахл'] },
  { concept: 'tribes', weight: 0.5, en: ['tribes', 'tribal', 'clans', 'tribus'], translit: ['ashair', 'ashayer', 'ashaer', 'qabail', 'qabayel'], ar: ['عشائر', 'قبائل', 'عشيرة'], ru: ['племен', 'клан', 'ашаир'] },
  { concept: 'nation', weight: 0.5, en: ['nation', 'ummah', 'oumma'], translit: ['umma', 'ummat', 'ouma'], ar: ['أمة'], ru: ['умм'] },
  { concept: 'elite', weight: 0.5, en: ['elite', 'elites'], translit: ['nukhba', 'nokhba', 'nukhbat'], ar: ['نخبة'], ru: ['элит', 'элитн'] },
  { concept: 'mujahideen', weight: 0.45, en: ['mujahideen', 'moudjahidine'], translit: ['mujahidin', 'mujahedin', 'mujahedeen', 'mojahedin', 'mudjahidin', 'mujahid', 'mujahidun', 'mojahideen', 'mujahiddin', 'modzhakhedov', 'mujaahidiin'], ar: ['مجاهدين', 'مجاهدون', 'مجاهد', 'مجاهدي'], ru: ['моджахед', 'муджахид', 'муджахед', 'моджахид'] },
  { concept: 'jihad', weight: 0.45, en: [], translit: ['jihad', 'djihad', 'jehad', 'dzhikhad', 'jihaad'], ar: ['جهاد'], ru: ['джихад'] },
  { concept: 'combat', weight: 0.5, en: ['combat', 'fighting', 'fight'], translit: ['qital'], ar: ['قتال'], ru: ['борьб'] },
  { concept: 'call', weight: 0.5, en: ['call', 'preaching', 'predication', 'proselytism'], translit: ['dawa', 'dawah', 'daawa', 'dawat', 'dawaa', 'daawat'], ar: ['دعوة'], ru: ['призыв', 'проповед'] },
  { concept: 'revolutionaries', weight: 0.45, en: ['revolutionaries', 'rebels', 'revolutionnaires', 'rebelles'], translit: ['thuwar', 'thowar', 'thuwwar'], ar: ['ثوار'], ru: ['революционер', 'суар', 'повстанц'] },
  // "Revolutionary" is the adjective of the revolution (Maghawir al-Thawra, "Revolutionary Commando Army").
  { concept: 'revolution', weight: 0.45, en: ['revolution', 'revolutionary', 'revolutionnaire'], translit: ['thawra', 'thawrat', 'thaura', 'thowra'], ar: ['ثورة'], ru: ['революци', 'саура'] },
  { concept: 'uprising', weight: 0.5, en: ['uprising', 'intifada'], translit: ['intifada', 'intifadah', 'intifadat'], ar: ['انتفاضة'], ru: ['восстани', 'интифад'] },
  { concept: 'martyrs', weight: 0.5, en: ['martyrs', 'martyr'], translit: ['shuhada', 'shohada', 'shuhadaa', 'shahid', 'shaheed', 'shahids'], ar: ['شهداء', 'شهيد'], ru: ['мученик', 'шухада', 'шахид'] },
  { concept: 'falcons', weight: 0.55, en: ['falcons', 'falcon', 'hawks', 'faucons'], translit: ['suqur', 'suqour', 'soqour', 'saqr', 'suqoor', 'sukur'], ar: ['صقور', 'صقر'], ru: ['сокол', 'сукур', 'сокур'] },
  { concept: 'tigers', weight: 0.55, en: ['tigers', 'tiger', 'tigres'], translit: ['nimr', 'numur'], ar: ['نمر', 'نمور'], ru: ['тигр', 'нимр'] },
  { concept: 'eagles', weight: 0.55, en: ['eagles', 'eagle', 'aigles'], translit: ['nusur', 'nosour', 'nusour'], ar: ['نسور', 'نسر'], ru: ['орл', 'орел', 'нусур'] },
  { concept: 'wolves', weight: 0.55, en: ['wolves', 'wolf', 'loups'], translit: ['dhiab', 'zeab', 'dhiaab'], ar: ['ذئاب', 'ذئب'], ru: ['волк'] },
  { concept: 'giants', weight: 0.55, en: ['giants', 'giant', 'geants', 'geant'], translit: ['amaliqa', 'amalika', 'amaleqa', 'amaliqah', 'amaliq'], ar: ['عمالقة', 'عملاق'], ru: ['гигант', 'амалик'] },
  { concept: 'lions', weight: 0.55, en: ['lions', 'lion'], translit: ['usud', 'usoud', 'ousoud'], ar: ['أسود'], ru: ['льв', 'лев', 'усуд'] },
  { concept: 'truth', weight: 0.55, en: ['truth', 'verite'], translit: ['haqq', 'haq', 'hak'], ar: ['حق'], ru: ['истин', 'правд', 'хакк'] },
  { concept: 'dignity', weight: 0.55, en: ['dignity', 'dignite'], translit: ['karama', 'karamah', 'karameh'], ar: ['كرامة'], ru: ['достоинств', 'карама'] },
  // Izza ("might", "pride") and majd are both rendered "glory"; as two Arabic words they stay apart.
  { concept: 'glory', weight: 0.55, en: ['glory', 'might', 'pride', 'gloire'], translit: ['izza', 'izzah', 'izz', 'ezz', 'ezza', 'izzat', 'majd'], ar: ['عزة', 'عز', 'مجد'], ru: ['слав', 'изза', 'маджд'] },
  { concept: 'honour', weight: 0.55, en: ['honour', 'honor', 'honneur'], translit: ['sharaf'], ar: ['شرف'], ru: ['чест'] },
  { concept: 'pure', weight: 0.55, en: ['pure'], translit: ['tayyiba', 'tayyaba', 'taiba', 'toiba', 'tayiba'], ar: ['طيبة'], ru: ['чист'] },
  { concept: 'peace', weight: 0.5, en: ['peace', 'paix'], translit: ['salam', 'salaam'], ar: ['سلام'], ru: ['мир'] },
  { concept: 'hope', weight: 0.55, en: ['hope', 'espoir'], translit: ['amal'], ar: ['أمل'], ru: ['надежд'] },
  { concept: 'salvation', weight: 0.5, en: ['salvation', 'rescue', 'salut'], translit: ['inqadh', 'inqaz', 'enqaz'], ar: ['إنقاذ'], ru: ['спасени'] },
  { concept: 'justice', weight: 0.5, en: ['justice'], translit: ['adl', 'adala', 'adalah'], ar: ['عدل', 'عدالة'], ru: ['справедлив'] },
  { concept: 'development', weight: 0.5, en: ['development', 'developpement'], translit: ['tanmiya', 'tanmiyah', 'tanmiyya'], ar: ['تنمية'], ru: ['развити'] },
  { concept: 'authenticity', weight: 0.55, en: ['authenticity', 'authenticite'], translit: ['asala', 'asalah'], ar: ['أصالة'], ru: ['подлинн'] },
  { concept: 'reform', weight: 0.5, en: ['reform', 'reforme'], translit: ['islah'], ar: ['إصلاح'], ru: ['реформ'] },
  { concept: 'revival', weight: 0.5, en: ['revival', 'renaissance'], translit: ['ihya', 'ihia', 'ihyaa'], ar: ['إحياء'], ru: ['возрождени'] },
  { concept: 'heritage', weight: 0.5, en: ['heritage', 'patrimoine'], translit: ['turath', 'turas', 'tourath'], ar: ['تراث'], ru: ['наследи'] },
  { concept: 'charitable', weight: 0.4, en: ['charitable', 'charity', 'benevolent'], translit: ['khayriya', 'khairiya', 'khairiyya', 'khayriyya'], ar: ['خيرية', 'خيري'], ru: ['благотворительн'] },
  { concept: 'relief', weight: 0.4, en: ['relief', 'humanitarian', 'aid'], translit: ['ighatha', 'igatha', 'ighatah'], ar: ['إغاثة'], ru: ['гуманитарн'] },
  { concept: 'religion', weight: 0.5, en: ['religion', 'faith', 'foi'], translit: ['din', 'deen', 'dine', 'eddine', 'eddin'], ar: ['دين'], ru: ['религи', 'дин'] },
  { concept: 'god', weight: 0.5, en: ['god', 'dieu'], translit: ['allah', 'ullah', 'ollah'], ar: ['الله'], ru: ['аллах', 'бог'] },
  { concept: 'brotherhood', weight: 0.5, en: ['brotherhood', 'brothers', 'freres'], translit: ['ikhwan', 'ikhwaan'], ar: ['إخوان'], ru: ['братств', 'брать', 'ихван'] },
  { concept: 'caliphate', weight: 0.5, en: ['caliphate', 'califat', 'khalifat'], translit: ['khilafa', 'khilafah', 'khilafat'], ar: ['خلافة'], ru: ['халифат'] },
  { concept: 'province', weight: 0.35, en: ['province'], translit: ['wilaya', 'wilayat', 'wilayah', 'vilayat'], ar: ['ولاية'], ru: ['провинци', 'вилайет', 'вилаят'] },
  // Al-Qaida, "the Base".
  { concept: 'base', weight: 0.7, en: ['base'], translit: ['qaida', 'qaeda', 'qaidah', 'qaedah', 'qaidat', 'kaida', 'qaeida', 'qaieda'], ar: ['قاعدة'], ru: ['каид', 'баз'] },
  { concept: 'guardians', weight: 0.55, en: ['guardians', 'guards', 'guardian', 'guard', 'gardiens', 'garde', 'gardes'], translit: ['hurras', 'horras', 'hurrass', 'haras', 'pasdaran'], ar: ['حراس', 'حرس'], ru: ['страж', 'хуррас', 'хранител', 'гвард'] },
  { concept: 'republican', weight: 0.45, en: ['republican', 'republic', 'republicaine', 'republique'], translit: ['jumhuri', 'jumhuriya', 'jumhuriyya', 'joumhouri'], ar: ['جمهوري', 'جمهورية'], ru: ['республик', 'республиканск'] },
  { concept: 'military', weight: 0.35, en: ['military', 'militaire'], translit: ['askari', 'askariya', 'askariyya', 'askariyah'], ar: ['عسكري', 'عسكرية'], ru: ['военн'] },
  { concept: 'special', weight: 0.4, en: ['special', 'speciales', 'speciale'], translit: ['khassa', 'khasa', 'khassah'], ar: ['خاصة', 'خاص'], ru: ['специальн', 'особ'] },
  { concept: 'belt', weight: 0.55, en: ['belt', 'ceinture'], translit: ['hizam', 'hezam', 'hizaam'], ar: ['حزام'], ru: ['пояс'] },
  { concept: 'deterrence', weight: 0.5, en: ['deterrence', 'deterrent', 'dissuasion'], translit: [], ar: ['ردع'], ru: ['сдерживани'] },
  { concept: 'transitional', weight: 0.5, en: ['transitional', 'transition', 'transitoire'], translit: ['intiqali', 'intiqaliya', 'intiqaliyya', 'intiqal'], ar: ['انتقالي', 'انتقالية'], ru: ['переходн'] },
  { concept: 'coordination', weight: 0.4, en: ['coordination', 'coordinating'], translit: ['tansiqiya', 'tansiqiyya', 'tansiqiyah', 'tansiq'], ar: ['تنسيقية', 'تنسيق'], ru: ['координаци'] },
  { concept: 'armoured', weight: 0.45, en: ['armoured', 'armored', 'armour', 'armor', 'blindee', 'blindees', 'tank', 'tanks'], translit: ['mudarraa', 'mudarraat', 'mudarra'], ar: ['مدرع', 'مدرعة', 'مدرعات'], ru: ['бронетанков', 'танков', 'бронев'] },
  // "Armed Forces": armed says little beside its noun, but "Lebanese Forces" is not the Lebanese Armed Forces.
  { concept: 'armed', weight: 0.35, en: ['armed'], translit: ['musallaha', 'musallah', 'musalaha'], ar: ['مسلحة', 'مسلح'], ru: ['вооруж', 'збройн'] },
  { concept: 'security', weight: 0.4, en: ['security', 'securite'], translit: ['amn', 'amniya', 'amniyya'], ar: ['أمن', 'أمنية'], ru: ['безопасност'] },
  { concept: 'police', weight: 0.45, en: ['police'], translit: ['shurta', 'shurtah'], ar: ['شرطة'], ru: ['полици'] },
  { concept: 'international', weight: 0.3, en: ['international', 'internationale'], translit: ['dawli', 'dawliya', 'dawliyya', 'duwali'], ar: ['دولي', 'دولية'], ru: ['международн'] },
  { concept: 'national', weight: 0.35, en: ['national', 'nationale'], translit: ['watani', 'wataniya', 'wataniyya', 'qawmi'], ar: ['وطني', 'وطنية', 'قومي'], ru: ['национальн'] },
  { concept: 'defence', weight: 0.45, en: ['defence', 'defense', 'self-defence'], translit: ['difa', 'difaa'], ar: ['دفاع'], ru: ['оборон', 'самооборон'] },
  { concept: 'protection', weight: 0.45, en: ['protection'], translit: ['himaya', 'himayat', 'parastina', 'parastin'], ar: ['حماية'], ru: ['защит'] },
  { concept: 'democratic', weight: 0.4, en: ['democratic', 'democratique'], translit: ['dimuqratiya', 'dimokratiya', 'demokratik', 'dimuqratiyya', 'demokrat'], ar: ['ديمقراطية', 'ديموقراطية', 'ديمقراطي'], ru: ['демократическ'] },
  { concept: 'workers', weight: 0.5, en: ['workers', 'travailleurs'], translit: ['ummal', 'karkeren', 'karker'], ar: ['عمال'], ru: ['рабоч'] },
  { concept: 'arab', weight: 0.35, en: ['arab', 'arabic', 'arabian', 'arabe'], translit: ['arabi', 'arabiya', 'arabiyya'], ar: ['عربي', 'عربية', 'عرب'], ru: ['арабск', 'аравийск'] },
  { concept: 'kurdish', weight: 0.45, en: ['kurdish', 'kurds', 'kurdes', 'kurde'], translit: ['kurdi', 'kurdiya', 'akrad', 'kurd'], ar: ['كردي', 'كردية', 'أكراد'], ru: ['курдск', 'курд'] },
  { concept: 'south', weight: 0.5, en: ['south', 'southern', 'sud'], translit: ['janubi', 'janubiya', 'janoubi', 'jenubi', 'janubiyya'], ar: ['جنوبي', 'جنوبية', 'جنوب'], ru: ['южн', 'юг'] },
  { concept: 'north', weight: 0.5, en: ['north', 'northern', 'nord'], translit: ['shamali', 'shamaliya', 'shimali', 'shamal'], ar: ['شمالي', 'شمالية', 'شمال'], ru: ['северн', 'север'] },
  { concept: 'east', weight: 0.5, en: ['east', 'eastern', 'oriental', 'orientale'], translit: ['sharqi', 'sharqiya', 'sharqiyya', 'sharkia', 'sharqiyah'], ar: ['شرقي', 'شرقية', 'شرق'], ru: ['восточн', 'восток', 'шаркия', 'шарки'] },
  { concept: 'west', weight: 0.5, en: ['west', 'western', 'ouest'], translit: ['gharbi', 'gharbiya', 'gharbiyya'], ar: ['غربي', 'غربية', 'غرب'], ru: ['западн', 'запад', 'гарбия'] },
  { concept: 'victory', weight: 0.55, en: ['victory', 'victoire'], translit: ['nasr', 'nassr'], ar: ['نصر'], ru: ['побед', 'наср'] },
  { concept: 'sun', weight: 0.55, en: ['sun', 'soleil'], translit: ['shams'], ar: ['شمس'], ru: ['солнц'] },
  { concept: 'crescent', weight: 0.55, en: ['crescent', 'croissant'], translit: ['hilal'], ar: ['هلال'], ru: ['полумесяц'] },
  { concept: 'red', weight: 0.4, en: ['red', 'rouge'], translit: ['ahmar', 'hamra'], ar: ['أحمر', 'حمراء'], ru: ['красн'] },
  { concept: 'son', weight: 0.2, en: [], translit: ['ibn', 'bin', 'ben'], ar: ['ابن', 'بن'], ru: ['ибн', 'бен', 'бин'] },
  { concept: 'father', weight: 0.2, en: [], translit: ['abu', 'abou', 'abi'], ar: ['أبو', 'أبي'], ru: ['абу'] },
  // Titles before a person's name say little about which group is meant.
  { concept: 'sultan', weight: 0.3, en: [], translit: ['sultan', 'soltan'], ar: ['سلطان'], ru: ['султан'] },
  { concept: 'imam', weight: 0.3, en: [], translit: ['imam'], ar: ['إمام'], ru: ['имам'] },
  { concept: 'sheikh', weight: 0.3, en: [], translit: ['sheikh', 'shaykh', 'shaikh', 'cheikh', 'sheykh'], ar: ['شيخ'], ru: ['шейх'] },
  { concept: 'monotheism', weight: 0.55, en: ['monotheism', 'oneness', 'unicite'], translit: ['tawhid', 'tawheed', 'tauhid', 'towhid'], ar: ['توحيد'], ru: ['таухид', 'тавхид', 'единобожи'] },
  { concept: 'salafi', weight: 0.45, en: ['salafist', 'salafi', 'salafiste'], translit: ['salafiya', 'salafiyya', 'salafia', 'salafiyah'], ar: ['سلفية', 'سلفي'], ru: ['салафит', 'салафи'] },
  { concept: 'emirate', weight: 0.45, en: ['emirate'], translit: ['imara', 'imarat', 'emarat'], ar: ['إمارة'], ru: ['эмират', 'имарат'] },
  { concept: 'mobilization', weight: 0.45, en: ['mobilization', 'mobilisation'], translit: ['hashd'], ar: ['حشد'], ru: ['мобилизаци', 'хашд'] },
  { concept: 'resistance', weight: 0.45, en: ['resistance'], translit: ['muqawama', 'muqawamah', 'moqawama'], ar: ['مقاومة'], ru: ['сопротивлени', 'мукавама'] },
  // Places whose names English, Arabic and Russian write differently.
  { concept: 'damascus', weight: 0.7, en: ['damascus', 'damas'], translit: ['dimashq', 'dimachq', 'dimashk'], ar: ['دمشق'], ru: ['дамаск'] },
  { concept: 'aleppo', weight: 0.7, en: ['aleppo', 'alep'], translit: ['halab'], ar: ['حلب'], ru: ['алеппо', 'халеб', 'халаб'] },
  { concept: 'euphrates', weight: 0.7, en: ['euphrates', 'euphrate'], translit: ['furat', 'forat', 'fourat'], ar: ['فرات'], ru: ['евфрат'] },
  { concept: 'golan', weight: 0.7, en: ['golan'], translit: ['jawlan', 'joulan', 'jolan'], ar: ['جولان'], ru: ['голан'] },
  { concept: 'jerusalem', weight: 0.7, en: ['jerusalem'], translit: ['quds', 'qods', 'kuds', 'qouds'], ar: ['قدس'], ru: ['иерусалим', 'кудс'] },
  { concept: 'caucasus', weight: 0.7, en: ['caucasus', 'caucase', 'caucasian'], translit: ['kavkaz', 'qawqaz', 'kawkaz'], ar: ['قوقاز'], ru: ['кавказ'] },
  { concept: 'lebanon', weight: 0.6, en: ['lebanon', 'lebanese', 'liban', 'libanais'], translit: ['lubnan', 'lubnani'], ar: ['لبنان', 'لبناني'], ru: ['ливан'] },
  { concept: 'palestine', weight: 0.6, en: ['palestine', 'palestinian', 'palestinien'], translit: ['filastin', 'falastin', 'filistin', 'filastini'], ar: ['فلسطين', 'فلسطيني'], ru: ['палестин'] },
  { concept: 'jordan', weight: 0.6, en: ['jordan', 'jordanian', 'jordanie'], translit: ['urdun', 'ordon'], ar: ['أردن', 'أردني'], ru: ['иордан'] },
  { concept: 'egypt', weight: 0.6, en: ['egypt', 'egyptian', 'egypte'], translit: ['misr', 'masr', 'misri'], ar: ['مصر', 'مصري'], ru: ['египет', 'египт', 'египетск'] },
  { concept: 'turkey', weight: 0.6, en: ['turkey', 'turquie', 'turkish'], translit: ['turkiya', 'turkiye', 'turkiyya'], ar: ['تركيا'], ru: ['турци', 'турецк'] },
  // Mesopotamia and "the land of the two rivers" (Bilad al-Rafidayn) are how names say Iraq.
  { concept: 'iraq', weight: 0.6, en: ['iraq', 'iraqi', 'irak', 'irakien', 'irakienne', 'mesopotamia', 'mesopotamie'], translit: ['iraqi', 'iraqiya', 'rafidayn', 'rafidain', 'rafidein'], ar: ['عراق', 'عراقي', 'عراقية', 'رافدين'], ru: ['ирак', 'иракск', 'месопотами'] },
  // "Bilad" (the lands of) before a place says no more than the place.
  { concept: 'land', weight: 0.2, en: ['land', 'lands', 'pays'], translit: ['bilad', 'bilaad', 'belad'], ar: ['بلاد'], ru: ['земл'] },
  { concept: 'militia', weight: 0.35, en: ['militia', 'militias', 'milice', 'milices'], translit: [], ar: ['ميليشيا', 'مليشيا', 'ميليشيات'], ru: ['милици', 'ополчени', 'ополченц'] },
  { concept: 'volunteers', weight: 0.4, en: ['volunteers', 'volunteer', 'volontaires'], translit: ['mutatawwiin', 'mutatawiin', 'dobrovolcheskiy', 'dobrovolcheskii', 'dobrovolchyi', 'dobrovolchiy', 'dobrovoltsy', 'dobrovolets'], ar: ['متطوعين', 'متطوعون'], ru: ['добровольц', 'добровольческ', 'доброволец', 'добровольч'] },
  // Designations armies put before a unit's name: "24th Separate Assault Battalion Aidar".
  { concept: 'separate', weight: 0.25, en: ['separate', 'independent', 'autonomous'], translit: ['mustaqil', 'mustaqilla'], ar: ['مستقل', 'مستقلة'], ru: ['отдельн', 'окрем', 'самостоятельн'] },
  { concept: 'assault', weight: 0.3, en: ['assault', 'shock'], translit: ['iqtiham'], ar: ['اقتحام'], ru: ['штурмов', 'ударн'] },
  // A private military company: ЧВК (частная военная компания), ПВК (приватна військова компанія).
  { concept: 'pmc', weight: 0.3, en: ['pmc'], translit: ['chvk'], ar: [], ru: ['чвк', 'пвк'] },
  // A Sufi order (tariqa), as in the Naqshbandi order.
  { concept: 'order', weight: 0.4, en: ['order', 'ordre'], translit: ['tariqa', 'tariqah', 'tariqat', 'tarikat'], ar: ['طريقة'], ru: ['орден'] },
]

/**
 * More ways of writing the meanings above, language by language: German (stems; the German
 * endings and compounds are read in conceptOf and analyze.ts), Ukrainian (after the Ukrainian
 * letters are read as Russian ones: і ї → и, є → е, -ськ- → -ск-), Kurdish (Kurmanji, Latin
 * letters), Persian and Turkish. Kept apart so each language's list can be read on its own.
 */
export const MORE_RENDERINGS: Readonly<Record<string, { de?: string[]; translit?: string[]; ar?: string[]; ru?: string[] }>> = {
  front: { de: ['front'], translit: ['eniya', 'eniye', 'cephe', 'cephesi'] },
  army: { de: ['armee', 'heer'], translit: ['artesha', 'arteshe', 'artesh', 'ordu', 'ordusu'], ar: ['ارتش'] },
  brigade: { de: ['brigade'], translit: ['tugay', 'tugayi'] },
  battalion: { de: ['bataillon'], translit: ['tabur', 'taburu', 'gordan'], ar: ['گردان'], ru: ['батальйон'] },
  company: { de: ['kompanie'] },
  regiment: { de: ['regiment'], translit: ['alay', 'alayi'] },
  division: { de: ['division'], translit: ['tumen', 'tumeni'] },
  corps: { de: ['korps', 'legion'] },
  forces: { de: ['kraft', 'krafte', 'streitkraft', 'streitkrafte', 'truppe'], translit: ['hezen', 'hezi', 'niru', 'nirou', 'niruha', 'nirouha', 'niruye', 'kuvvetleri', 'kuvvetler'], ar: ['نيرو', 'نيروي', 'نيروهاي'] },
  units: { de: ['einheit'], translit: ['yekine', 'yekineya', 'yekineye'], ru: ['загин'] },
  movement: { de: ['bewegung'], translit: ['tevgera', 'tevger', 'hareket', 'hareketi'], ru: ['рух'] },
  group: { de: ['gruppe'], ar: ['مجموعة'] },
  organization: { de: ['organisation'] },
  party: { de: ['partei'], translit: ['hisb', 'partiya', 'partiye', 'partisi'] },
  union: { de: ['union'], translit: ['yekitiya', 'yekiti'] },
  coalition: { de: ['koalition', 'bundnis'] },
  league: { de: ['liga'] },
  liberation: { de: ['befreiung'], translit: ['rizgari', 'rizgariya'], ru: ['визволенн', 'визвольн'] },
  levant: { de: ['levante'] },
  syria: { de: ['syrisch', 'syrien'], translit: ['suriye', 'suriyeli'] },
  state: { de: ['staat'], ru: ['держав'] },
  islamic: { de: ['islamisch'], translit: ['eslami', 'islamiye'] },
  free: { de: ['frei'], ru: ['вильн'], translit: ['ozgur'] },
  men: { de: ['manner'] },
  women: { de: ['frau'], translit: ['jinen'], ar: ['مرأة', 'نسائية'] },
  youth: { de: ['jugend'] },
  martyrs: { de: ['martyrer'] },
  falcons: { de: ['falke'] },
  eagles: { de: ['adler'] },
  wolves: { de: ['wolf', 'wolfe'] },
  lions: { de: ['lowe'] },
  soldiers: { de: ['soldat'] },
  supporters: { de: ['anhanger'] },
  people: { de: ['volk'], translit: ['xelk', 'halk', 'halkin'] },
  god: { de: ['gott'] },
  defence: { de: ['verteidigung', 'selbstverteidigung'], translit: ['xweparastin'] },
  protection: { de: ['schutz'] },
  mobilization: { de: ['mobilisierung', 'mobilmachung'], translit: ['basij', 'basiji'], ar: ['بسيج'] },
  workers: { de: ['arbeiter'], ru: ['робитнич'] },
  republican: { de: ['republik'] },
  national: { de: ['national'], translit: ['milli'] },
  democratic: { de: ['demokratisch'], ru: ['демократичн'] },
  arab: { de: ['arabisch'] },
  kurdish: { de: ['kurdisch'] },
  revolution: { de: ['revolution', 'revolutionar'], translit: ['shoresh', 'enghelab', 'enqelab', 'inqilab'], ar: ['انقلاب'] },
  resistance: { de: ['widerstand'], ru: ['спротив'] },
  guardians: { de: ['garde', 'wachter'], ar: ['پاسداران'] },
  conquest: { de: ['eroberung'] },
  emirate: { de: ['emirat'] },
  caliphate: { de: ['kalifat'] },
  militia: { de: ['miliz'] },
  volunteers: { de: ['freiwillig'] },
  iraq: { de: ['irak', 'mesopotamien'] },
  caucasus: { de: ['kaukasus'] },
  freedom: { de: ['freiheit'] },
  giants: { de: ['riese', 'riesen'] },
  whirlwind: { de: ['wirbelsturm', 'wirbelwind'] },
  belt: { de: ['gurtel'] },
  deterrence: { de: ['abschreckung'] },
  transitional: { de: ['ubergang', 'ubergangs'] },
  coordination: { de: ['koordination', 'koordinierung'] },
  armoured: { de: ['panzer', 'gepanzert'] },
  armed: { de: ['bewaffnet'] },
  council: { de: ['rat'] },
  south: { de: ['sudlich', 'sud'] },
  north: { de: ['nordlich', 'nord'] },
  east: { de: ['ostlich', 'ost'] },
  west: { de: ['westlich', 'west'] },
  greater: { de: ['gross', 'grosse', 'grosser', 'grosseren'] },
  order: { de: ['orden'] },
}

/** Meanings close enough that one name may use either ("Kata'ib Hizballah" is "Hezbollah Brigades"), and how close. */
export const CONCEPT_FAMILIES: readonly { concepts: readonly string[]; similarity: number }[] = [
  // Echelons: groups grow from one to the next and keep their name, and translations blur them.
  { concepts: ['brigade', 'battalion', 'company', 'regiment', 'division', 'corps'], similarity: 0.7 },
  // The large formations translations swap: Jaysh al-X is rendered "X Forces", Faylaq al-Quds "Quds Force", and
  // "Popular Mobilization Units" is the Popular Mobilization Forces.
  { concepts: ['army', 'forces', 'corps', 'units'], similarity: 0.7 },
  // One root (ḥ-r-r): hurr "free", ahrar "the free, free men" ("Army of the Free" is Jaysh al-Ahrar).
  { concepts: ['free', 'freemen'], similarity: 0.8 },
  // "Free Russia Legion" renders the Freedom of Russia Legion.
  { concepts: ['free', 'freedom'], similarity: 0.8 },
  { concepts: ['levant', 'syria'], similarity: 0.7 },
  // "Levant Front" renders Jabhat al-Shamiya.
  { concepts: ['levant', 'levantine'], similarity: 0.9 },
  { concepts: ['defence', 'protection', 'defenders'], similarity: 0.7 },
  { concepts: ['revolution', 'revolutionaries'], similarity: 0.7 },
]
/**
 * Words for the unit a group is (army, brigade, movement …). Renderings of one group swap them
 * freely in number (liwa / alwiya, katiba / kata'ib), so two spellings of one are one word.
 */
export const UNIT_CONCEPTS: ReadonlySet<string> = new Set([
  'front', 'army', 'brigade', 'battalion', 'company', 'regiment', 'division', 'corps', 'forces', 'units',
  'movement', 'group', 'organization', 'party', 'union', 'council', 'gathering', 'coalition', 'league',
])
/**
 * Words for the kind of group a name is (its head noun): the units, and the members a group is
 * named by (Ansar al-X, Jund al-X, as Jaysh al-X names it by its unit). Two names that each have
 * one left unpaired disagree on what the group is ("Liwa al-Quds" / "Quds Force", "Jaysh Tahrir
 * al-Sham" / "Hay'at Tahrir al-Sham", "Ansar al-Sunna" / "Jaysh al-Sunna"): groups named after
 * one person or place differ by this word.
 */
export const FORM_CONCEPTS: ReadonlySet<string> = new Set([...UNIT_CONCEPTS, 'supporters', 'soldiers'])

/** Similarity of two words whose meanings are of one family, unless the family says otherwise. */
export const FAMILY_SIMILARITY = 0.7
/** English and French words this long or longer are also found by their vocalic key ("Mouvment"); shorter ones only as written ("cote" is not "Kut"). */
const MIN_VOCALIC_ENGLISH = 7

// Russian endings after a stem: nouns and adjectives in every case and number.
const RUSSIAN_ENDINGS = new Set([
  '', 'а', 'я', 'ы', 'и', 'у', 'ю', 'е', 'о', 'ь', 'ой', 'ей', 'ий', 'ый', 'ая', 'яя', 'ое', 'ее', 'ие', 'ые',
  'ого', 'его', 'ому', 'ему', 'ом', 'ем', 'ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ов', 'ев', 'ых', 'их', 'ую', 'юю',
  'ым', 'им', 'ыми', 'ими', 'ью', 'ия', 'ии', 'ие', 'ию', 'ией', 'ий', 'иями', 'иях', 'ий', 'ство', 'й',
  // Ukrainian, as ukrainianAsRussian reads it (-ої, -ів, -ою, -ею, -ям, -ами).
  'ои', 'ив', 'ою', 'ею', 'еи', 'ьою', 'ьою', 'и', 'ях', 'ию', 'иею',
  // The adjective of a place ("Кавказский", "Туркестанская").
  'ский', 'ская', 'ское', 'ские', 'ского', 'ской', 'ских', 'ском', 'скую', 'ским', 'скои', 'ска', 'ске', 'ски',
])

/** German endings after a stem: adjectives and nouns in every case and number, and the linking -s- of compounds. */
const GERMAN_ENDINGS = new Set(['', 'e', 'en', 'er', 'es', 'em', 'n', 's', 'ns', 'ens', 'ern'])
/** German stems this long or longer are read with endings; shorter ones only as written. */
const MIN_GERMAN_STEM = 4

/**
 * Ukrainian letters read as the Russian ones the dictionary's stems are written with, for looking
 * a word up (і ї → и, є → е, ґ → г, -ськ- / -цьк- → -ск- / -цк-): "Вільна сирійська армія".
 */
export function ukrainianAsRussian(folded: string): string {
  return folded.replace(/[ії]/g, 'и').replace(/є/g, 'е').replace(/ґ/g, 'г').replace(/([сц])ьк/g, '$1к')
}

type Lookup = {
  byVocalic: Map<string, string>
  byEnglish: Map<string, string>
  /** German stems, longest first. */
  germanStems: { stem: string; concept: string }[]
  byArabic: Map<string, string>
  russianStems: { stem: string; concept: string; translation: boolean }[]
  weight: Map<string, number>
  /** "a|b" → similarity, both orders. */
  family: Map<string, number>
  /** concept → the other meanings of its families, filled as asked. */
  families: Map<string, [string, number][]>
}

let lookup: Lookup | null = null

/** The keys a Latin or Cyrillic-transliterated word is looked up by: its vocalic key, and without a construct -t. */
export function vocalicKeys(phonetic: string): string[] {
  const keys = [vocalic(phonetic)]
  if (/[aiu]t$/.test(phonetic) && phonetic.length > 3) keys.push(vocalic(phonetic.slice(0, -1)))
  return keys
}

function build(): Lookup {
  const l: Lookup = { byVocalic: new Map(), byEnglish: new Map(), germanStems: [], byArabic: new Map(), russianStems: [], weight: new Map(), family: new Map(), families: new Map() }
  const put = (map: Map<string, string>, key: string, concept: string, what: string) => {
    const had = map.get(key)
    if (had && had !== concept) throw new Error(`dictionary: ${what} "${key}" is both ${had} and ${concept}`)
    map.set(key, concept)
  }
  const known = new Set(GENERIC_TERMS.map((t) => t.concept))
  for (const c of Object.keys(MORE_RENDERINGS)) if (!known.has(c)) throw new Error(`dictionary: more renderings of an unknown meaning "${c}"`)
  const terms = GENERIC_TERMS.map((t) => {
    const more = MORE_RENDERINGS[t.concept]
    return more ? { ...t, translit: [...t.translit, ...(more.translit ?? [])], ar: [...t.ar, ...(more.ar ?? [])], ru: [...t.ru, ...(more.ru ?? [])], de: more.de ?? [] } : { ...t, de: [] }
  })
  const english = new Set<string>()
  for (const t of terms) for (const w of t.en) english.add(foldText(w).replace(/[^a-z]/g, ''))
  for (const t of terms) {
    l.weight.set(t.concept, t.weight)
    for (const w of t.en) {
      const k = foldText(w).replace(/[^a-z]/g, '')
      put(l.byEnglish, k, t.concept, 'English word')
      // The singular of a plural the table lists ("hawks" → "hawk"), unless it is another word.
      if (/[^s]s$/.test(k) && k.length >= 5 && !english.has(k.slice(0, -1)) && !l.byEnglish.has(k.slice(0, -1))) l.byEnglish.set(k.slice(0, -1), t.concept)
    }
    for (const w of t.de) l.germanStems.push({ stem: foldText(w), concept: t.concept })
    for (const w of [...t.translit, ...t.en.filter((e) => e.length >= MIN_VOCALIC_ENGLISH)]) {
      for (const p of latinPhonetics(foldText(w).replace(/[^a-z]/g, '')).slice(0, 1)) {
        for (const k of vocalicKeys(p)) put(l.byVocalic, k, t.concept, 'transliteration')
      }
    }
    for (const w of t.ar) put(l.byArabic, stripArabicArticle(foldText(w)), t.concept, 'Arabic word')
    // A Russian stem that reads as one of the term's transliterations ("джейш") is one; else it
    // is a translation ("армия", "бригада").
    const translitKeys = new Set(t.translit.flatMap((w) => vocalicKeys(latinPhonetics(foldText(w).replace(/[^a-z]/g, ''))[0]!)))
    for (const w of t.ru) {
      const stem = foldText(w)
      l.russianStems.push({ stem, concept: t.concept, translation: !vocalicKeys(cyrillicPhonetic(stem)).some((k) => translitKeys.has(k)) })
    }
  }
  l.russianStems.sort((a, b) => b.stem.length - a.stem.length)
  l.germanStems.sort((a, b) => b.stem.length - a.stem.length)
  for (const f of CONCEPT_FAMILIES) {
    for (const a of f.concepts) for (const b of f.concepts) if (a !== b) l.family.set(`${a}|${b}`, Math.max(f.similarity, l.family.get(`${a}|${b}`) ?? 0))
  }
  return l
}

function dictionary(): Lookup {
  return (lookup ??= build())
}

// Numbers and ordinals: "Division 13", "13th Division", "الفرقة 13"; "Fifth Corps", "5th Corps",
// "الفيلق الخامس", "Пятый корпус". Their meaning is the number ("n:5"), and different numbers are
// different groups.
const NUMBER_PREFIX = 'n:'
/** A group's number tells it from its neighbours as well as a name does. */
const NUMBER_WEIGHT = 0.8
const ORDINAL_WORDS: Record<number, { latin: string[]; arabic: string[]; russian: string }> = {
  1: { latin: ['first', 'premier', 'premiere', 'awwal', 'ula', 'oula', 'uula'], arabic: ['اول', 'اولي'], russian: 'перв' },
  2: { latin: ['second', 'deuxieme', 'seconde', 'thani', 'thaniya', 'thaniyya', 'thaniyah'], arabic: ['ثاني', 'ثانيه'], russian: 'втор' },
  3: { latin: ['third', 'troisieme', 'thalith', 'thalitha', 'thalithah'], arabic: ['ثالث', 'ثالثه'], russian: 'трет' },
  4: { latin: ['fourth', 'quatrieme', 'rabi', 'rabia', 'rabiya', 'rabiaa'], arabic: ['رابع', 'رابعه'], russian: 'четверт' },
  5: { latin: ['fifth', 'cinquieme', 'khamis', 'khamisa', 'khamissa'], arabic: ['خامس', 'خامسه'], russian: 'пят' },
  6: { latin: ['sixth', 'sixieme', 'sadis', 'sadisa'], arabic: ['سادس', 'سادسه'], russian: 'шест' },
  7: { latin: ['seventh', 'septieme', 'sabi', 'sabia'], arabic: ['سابع', 'سابعه'], russian: 'седьм' },
  8: { latin: ['eighth', 'huitieme', 'thamin', 'thamina'], arabic: ['ثامن', 'ثامنه'], russian: 'восьм' },
  9: { latin: ['ninth', 'neuvieme', 'tasi', 'tasia'], arabic: ['تاسع', 'تاسعه'], russian: 'девят' },
  10: { latin: ['tenth', 'dixieme', 'ashir', 'ashira'], arabic: ['عاشر', 'عاشره'], russian: 'десят' },
}
/** German ordinal stems ("fünfte", "Fünftes Korps", "4. Panzerdivision" is written with digits), read with an adjective's ending. */
const GERMAN_ORDINAL = /^(erst|zweit|dritt|viert|funft|sechst|siebt|siebent|acht|neunt|zehnt)(?:e|er|es|en|em)$/
const GERMAN_ORDINAL_NUMBERS: Record<string, number> = { erst: 1, zweit: 2, dritt: 3, viert: 4, funft: 5, sechst: 6, siebt: 7, siebent: 7, acht: 8, neunt: 9, zehnt: 10 }
const RUSSIAN_ORDINAL_ENDINGS = new Set(['ый', 'ий', 'ой', 'ая', 'ое', 'ые', 'ого', 'ому', 'ом', 'ую', 'ых', 'ым', 'ыми', 'ья', 'ье', 'ьего', 'ьей', 'ью', 'ьи', 'ьих', 'ьим', 'ьему'])
let ordinalIndex: Map<string, number> | null = null

/** Whether a concept is a number ("n:5"): every way of writing it is one word, not a synonym. */
export const isNumberConcept = (concept: string): boolean => concept.startsWith(NUMBER_PREFIX)

/**
 * The number a folded word is, written in digits (with an ordinal ending: 5th, 1er, 2e) or as an
 * ordinal from first to tenth in English, French, German, Arabic (transliterated or not) or Russian; else null.
 * @example numberOf('13th', 'Latn') === 13; numberOf('خامس', 'Arab') === 5; numberOf('пятый', 'Cyrl') === 5
 */
export function numberOf(folded: string, script: Script): number | null {
  const digits = /^(\d{1,4})(?:st|nd|rd|th|e|er|re|eme|ieme|em|я|й|го|ая|ый|ой)?$/u.exec(folded)
  if (digits) return Number(digits[1])
  if (!ordinalIndex) {
    ordinalIndex = new Map()
    for (const [n, w] of Object.entries(ORDINAL_WORDS)) for (const x of [...w.latin, ...w.arabic]) ordinalIndex.set(x, Number(n))
  }
  if (script === 'Latn') {
    const german = GERMAN_ORDINAL.exec(folded)
    return ordinalIndex.get(folded) ?? (german ? GERMAN_ORDINAL_NUMBERS[german[1]!]! : null)
  }
  if (script === 'Arab') return ordinalIndex.get(folded) ?? null
  if (script === 'Cyrl') {
    for (const [n, w] of Object.entries(ORDINAL_WORDS)) {
      if (folded.startsWith(w.russian) && RUSSIAN_ORDINAL_ENDINGS.has(folded.slice(w.russian.length))) return Number(n)
    }
  }
  return null
}

/**
 * The masculine singular of an Arabic nisba adjective written in the feminine (-iyya, ية) or the
 * plural (-iyyun / -iyyin, يون / يين), folded; null for any other word.
 * @example arabicNisba('لبنانيه') === 'لبناني'; arabicNisba('حوثيون') === 'حوثي'
 */
export function arabicNisba(folded: string): string | null {
  const m = /^(.{2,}ي)(?:ه|ون|ين)$/u.exec(folded)
  return m ? m[1]! : null
}

function russianStem(folded: string): { concept: string; translation: boolean } | null {
  for (const r of dictionary().russianStems) {
    if (folded.startsWith(r.stem) && RUSSIAN_ENDINGS.has(folded.slice(r.stem.length))) return r
  }
  return null
}

/** The meaning of a German word: a stem of the table with a German ending ("Kräfte", "Freien", "Volks"). */
export function germanStem(folded: string): string | null {
  for (const { stem, concept } of dictionary().germanStems) {
    if (folded === stem) return concept
    if (stem.length >= MIN_GERMAN_STEM && folded.startsWith(stem) && GERMAN_ENDINGS.has(folded.slice(stem.length))) return concept
  }
  return null
}

/**
 * A long German word made of dictionary words ("Volksverteidigungseinheiten" → volks,
 * verteidigungs, einheiten; "Arbeiterpartei"), as its parts, or null. Each part is a German stem
 * of the table with an ending or a linking -s-, and the parts cover the whole word.
 * @example germanCompound('arbeiterpartei') // ['arbeiter', 'partei']
 */
export function germanCompound(folded: string): string[] | null {
  if (folded.length < 8 || !/^[a-z]+$/.test(folded)) return null
  const stems = dictionary().germanStems
  const parts: string[] = []
  const walk = (at: number): boolean => {
    if (at === folded.length) return parts.length >= 2
    for (const { stem } of stems) {
      if (!folded.startsWith(stem, at)) continue
      for (const ending of GERMAN_ENDINGS) {
        if ((ending && stem.length < MIN_GERMAN_STEM) || !folded.startsWith(ending, at + stem.length)) continue
        const end = at + stem.length + ending.length
        parts.push(folded.slice(at, end))
        if (walk(end)) return true
        parts.pop()
      }
    }
    return false
  }
  return walk(0) ? [...parts] : null
}

/**
 * The generic term a folded word (articles already off) stands for, or null.
 * @example conceptOf('джейш', 'Cyrl') === 'army'; conceptOf('جبهه', 'Arab') === 'front'
 */
export function conceptOf(folded: string, script: Script, phonetic?: string): string | null {
  const n = numberOf(folded, script)
  if (n !== null) return `${NUMBER_PREFIX}${n}`
  const d = dictionary()
  if (script === 'Arab') {
    const hit = d.byArabic.get(folded)
    if (hit) return hit
    // A clitic و ف ب ل ك ("and", "for", "with") written onto the word.
    if (folded.length >= 4 && /^[وفبلك]/.test(folded)) {
      const unclitic = d.byArabic.get(stripArabicArticle(folded.slice(1)))
      if (unclitic) return unclitic
    }
    // A nisba adjective in the feminine or the plural (لبنانية, عراقيون) is the masculine one (لبناني),
    // and the masculine one is of its noun (أمني, "of security": أمن).
    const nisba = arabicNisba(folded) ?? folded
    const adjective = nisba !== folded ? d.byArabic.get(nisba) : undefined
    if (adjective) return adjective
    return nisba.length >= 4 && nisba.endsWith('ي') ? (d.byArabic.get(nisba.slice(0, -1)) ?? null) : null
  }
  if (script === 'Cyrl') {
    const hit = russianStem(folded) ?? russianStem(ukrainianAsRussian(folded))
    if (hit) return hit.concept
  }
  if (script === 'Latn') {
    const en = d.byEnglish.get(folded) ?? (folded.length > 4 && folded.endsWith('s') ? d.byEnglish.get(folded.slice(0, -1)) : undefined)
    if (en) return en
    const de = germanStem(folded)
    if (de) return de
  }
  if (script === 'Latn' || script === 'Cyrl') {
    const p = phonetic ?? folded
    for (const k of vocalicKeys(p)) {
      const hit = d.byVocalic.get(k)
      if (hit) return hit
    }
  }
  return null
}

/**
 * Whether a folded word is a translation of its generic term (English "brigades", Russian
 * "бригада") rather than the word itself, transliterated or in Arabic ("liwa", "лива", "لواء"). A
 * translation blurs words an Arabic name keeps apart: "brigades" renders liwa, kata'ib and saraya.
 * @example isTranslation('brigades', 'Latn') === true; isTranslation('liwa', 'Latn') === false
 */
export function isTranslation(folded: string, script: Script): boolean {
  const d = dictionary()
  if (script === 'Latn') return d.byEnglish.has(folded) || (folded.length > 4 && folded.endsWith('s') && d.byEnglish.has(folded.slice(0, -1))) || germanStem(folded) !== null
  if (script === 'Cyrl') return (russianStem(folded) ?? russianStem(ukrainianAsRussian(folded)))?.translation ?? false
  return false
}

// The Latin letter a Cyrillic letter opens a word with, for reading acronyms across scripts (ДНР → dnr).
const CYRILLIC_INITIAL: Record<string, string> = {
  'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ж': 'z', 'з': 'z', 'и': 'i', 'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm',
  'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r', 'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'k', 'ц': 'c', 'ч': 'c', 'ш': 's', 'щ': 's',
  'э': 'e', 'ю': 'y', 'я': 'y', 'і': 'i', 'ї': 'y', 'є': 'y', 'ґ': 'g',
}

/** A folded word's letters as Latin letters for acronyms: Latin as is, Cyrillic letter by letter, else "". */
export function latinLetters(folded: string): string {
  let out = ''
  for (const c of folded) out += c >= 'a' && c <= 'z' ? c : (CYRILLIC_INITIAL[c] ?? '')
  return out
}

let initialsByConcept: Map<string, string> | null = null
/**
 * The letters an acronym may use for a meaning, whatever the language it was made in: the first
 * letters of its English and French words, its first transliteration, its first Russian and German
 * words ("people" → p (people, peuple, popular), a (ahl), n (народный), v (Volk)).
 */
export function conceptInitials(concept: string): string {
  if (!initialsByConcept) {
    initialsByConcept = new Map()
    for (const t of GENERIC_TERMS) {
      const more = MORE_RENDERINGS[t.concept]
      const words = [...t.en, t.translit[0] ?? '', t.ru[0] ?? '', more?.de?.[0] ?? '']
      initialsByConcept.set(t.concept, [...new Set(words.map((w) => latinLetters(foldText(w))[0] ?? '').filter(Boolean))].join(''))
    }
  }
  return initialsByConcept.get(concept) ?? ''
}

/** How much a generic term says about which group a name means. */
export function conceptWeight(concept: string): number {
  if (concept.startsWith(NUMBER_PREFIX)) return NUMBER_WEIGHT
  return dictionary().weight.get(concept) ?? 0.5
}

/** The other meanings of a meaning's families, with their similarity ("levant" → levantine 0.9, syria 0.7). */
export function conceptFamily(concept: string): [string, number][] {
  const d = dictionary()
  let f = d.families.get(concept)
  if (!f) {
    f = []
    for (const [k, sim] of d.family) if (k.startsWith(`${concept}|`)) f.push([k.slice(concept.length + 1), sim])
    d.families.set(concept, f)
  }
  return f
}

/**
 * 1 for one meaning; the family's similarity (FAMILY_SIMILARITY unless it says otherwise) for meanings of one family when a translation is involved
 * (`translated`: either word is one), else 0: "Hezbollah Brigades" may be Kata'ib Hizballah, but
 * Saraya al-Quds is not Liwa al-Quds.
 */
export function conceptSimilarity(a: string, b: string, translated = true): number {
  if (a === b) return 1
  if (!translated) return 0
  return dictionary().family.get(`${a}|${b}`) ?? 0
}

/** Checks the table (every entry loads, no word means two things); throws on the first conflict. */
export function checkDictionary(): void {
  lookup = null
  dictionary()
}

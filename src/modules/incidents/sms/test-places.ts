// Areas for tests, named as the gazetteer receives them (a language → name map each), with
// centroids and kinds; two villages share a name on purpose.
import type { GazetteerArea } from './gazetteer.ts'

export const AREAS: GazetteerArea[] = [
  { id: 'douma', names: { en: 'Douma', ar: 'دوما', ru: 'Дума' }, centroid: [36.4, 33.57], kind: 'city' },
  { id: 'harasta', names: { en: 'Harasta' }, centroid: [36.37, 33.56], kind: 'town' },
  { id: 'zamalka', names: { ar: 'زملكا' }, centroid: [36.36, 33.52], kind: 'town' },
  { id: 'aleppo', names: { en: 'Aleppo', ar: 'حلب', ru: 'Алеппо' }, centroid: [37.16, 36.2], kind: 'city' },
  { id: 'aleppo-gov', names: { en: 'Aleppo Governorate', ar: 'محافظة حلب', ru: 'Мухафаза Алеппо' }, centroid: [37.5, 36.3], kind: 'governorate' },
  { id: 'deir-ez-zor', names: { en: 'Deir ez-Zor', ar: 'دير الزور', ru: 'Дейр-эз-Зор', fr: 'Deir ez-Zor' }, centroid: [40.14, 35.33], kind: 'city' },
  { id: 'raqqa', names: { en: 'Ar-Raqqa', ar: 'الرقة', ru: 'Ракка' }, centroid: [39.01, 35.95], kind: 'city' },
  { id: 'al-bab', names: { en: 'Al-Bab', ar: 'الباب', ru: 'Эль-Баб' }, centroid: [37.52, 36.37], kind: 'town' },
  { id: 'idlib', names: { en: 'Idlib', ar: 'إدلب', ru: 'Идлиб' }, centroid: [36.63, 35.93], kind: 'city' },
  { id: 'ras-al-ain', names: { en: 'Ras al-Ain', ar: 'رأس العين', ru: 'Рас-эль-Айн' }, centroid: [40.07, 36.85], kind: 'town' },
  { id: 'daraa', names: { en: ['Daraa', "Dar'a"], ar: 'درعا', ru: 'Даръа' }, centroid: [36.1, 32.62], kind: 'city' },
  { id: 'kafr-batna-1', names: { en: 'Kafr Batna', ar: 'كفربطنا' }, centroid: [36.37, 33.51], kind: 'town' },
  { id: 'kafr-batna-2', names: { en: 'Kafr Batna' }, centroid: [36.5, 34.0], kind: 'village' },
]

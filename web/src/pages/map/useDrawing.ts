// Drawing on the map by hand: an area clicked vertex by vertex (double-click, or Finish, closes
// it; Escape gives up), a line the same way, or a site's point. Vertices can be dragged while
// drawing and afterwards, until the shape is saved. A keyboard user adds vertices at the map's
// centre instead (the map pans with the arrow keys).
import type { Position } from 'geojson'
import type { Map as MapLibreMap, MapLayerMouseEvent, MapMouseEvent } from 'maplibre-gl'
import { useCallback, useEffect, useRef, useState } from 'react'
import { DRAW_VERTEX, drawData, setDrawData, type DrawShape } from '../../map/overlays.ts'

/** Clicks this close (in pixels) to the last vertex add nothing: they are the two clicks of a double-click. */
const SAME_PLACE_PX = 6

export type DrawStep = 'idle' | 'drawing' | 'drawn'

export type Drawing = {
  step: DrawStep
  shape: DrawShape
  vertices: Position[]
  /** Starts drawing a new shape (the old one is dropped). */
  start: (shape: DrawShape) => void
  /** Puts an existing shape on the map to be moved vertex by vertex. */
  load: (shape: DrawShape, vertices: Position[]) => void
  addAtCentre: () => void
  undo: () => void
  finish: () => void
  cancel: () => void
  /** Whether the shape has enough vertices to be closed. */
  canFinish: boolean
}

export const minVertices = (shape: DrawShape) => (shape === 'polygon' ? 3 : shape === 'line' ? 2 : 1)

const round = (p: Position): Position => [Math.round(p[0]! * 1e7) / 1e7, Math.round(p[1]! * 1e7) / 1e7]

export function useDrawing(map: MapLibreMap | null, radiusM: number): Drawing {
  const [step, setStep] = useState<DrawStep>('idle')
  const [shape, setShape] = useState<DrawShape>('polygon')
  const [vertices, setVertices] = useState<Position[]>([])
  // The handlers below are bound once per map; they read the current drawing through this ref.
  const current = useRef({ step, shape, vertices, radiusM, pointer: null as Position | null })
  current.current = { ...current.current, step, shape, vertices, radiusM }

  const redraw = useCallback(() => {
    if (!map) return
    const c = current.current
    setDrawData(map, c.step === 'idle' ? drawData('polygon', [], null, 0) : drawData(c.shape, c.vertices, c.step === 'drawing' ? c.pointer : null, c.radiusM))
  }, [map])

  useEffect(() => {
    redraw()
  }, [step, shape, vertices, radiusM, redraw])

  const finish = useCallback(() => {
    const c = current.current
    if (c.step !== 'drawing' || c.vertices.length < minVertices(c.shape)) return
    current.current.pointer = null
    setStep('drawn')
  }, [])

  const cancel = useCallback(() => {
    current.current.pointer = null
    setVertices([])
    setStep('idle')
  }, [])

  // Map interactions while a shape is being drawn or adjusted.
  useEffect(() => {
    if (!map || step === 'idle') return
    const canvas = map.getCanvas()
    const samePlace = (a: Position, b: Position) => {
      const pa = map.project([a[0]!, a[1]!])
      const pb = map.project([b[0]!, b[1]!])
      return Math.hypot(pa.x - pb.x, pa.y - pb.y) < SAME_PLACE_PX
    }
    let dragging: number | null = null

    const onClick = (e: MapMouseEvent) => {
      const c = current.current
      const p = round([e.lngLat.lng, e.lngLat.lat])
      if (c.shape === 'point') {
        // A site has one point: a click puts it (again) where the click was.
        setVertices([p])
        if (c.step === 'drawing') setStep('drawn')
        return
      }
      if (c.step !== 'drawing') return
      const last = c.vertices[c.vertices.length - 1]
      if (last && samePlace(last, p)) return
      setVertices([...c.vertices, p])
    }
    const onDoubleClick = (e: MapMouseEvent) => {
      if (current.current.step !== 'drawing') return
      e.preventDefault()
      finish()
    }
    const onMove = (e: MapMouseEvent) => {
      const p = round([e.lngLat.lng, e.lngLat.lat])
      if (dragging !== null) {
        const next = [...current.current.vertices]
        next[dragging] = p
        current.current.vertices = next
        redraw()
        return
      }
      if (current.current.step === 'drawing' && current.current.shape !== 'point') {
        current.current.pointer = p
        redraw()
      }
    }
    const onVertexDown = (e: MapLayerMouseEvent) => {
      const index = e.features?.[0]?.properties?.index
      if (typeof index !== 'number') return
      // Stops the map panning: this drag moves the vertex.
      e.preventDefault()
      dragging = index
      canvas.style.cursor = 'grabbing'
    }
    const onUp = () => {
      if (dragging === null) return
      dragging = null
      canvas.style.cursor = 'crosshair'
      setVertices(current.current.vertices)
    }
    const onVertexEnter = () => {
      if (dragging === null) canvas.style.cursor = 'grab'
    }
    const onVertexLeave = () => {
      if (dragging === null) canvas.style.cursor = 'crosshair'
    }
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && current.current.step === 'drawing') cancel()
    }

    map.doubleClickZoom.disable()
    canvas.style.cursor = 'crosshair'
    map.on('click', onClick)
    map.on('dblclick', onDoubleClick)
    map.on('mousemove', onMove)
    map.on('mouseup', onUp)
    map.on('mousedown', DRAW_VERTEX, onVertexDown)
    map.on('mouseenter', DRAW_VERTEX, onVertexEnter)
    map.on('mouseleave', DRAW_VERTEX, onVertexLeave)
    document.addEventListener('keydown', onKey)
    return () => {
      map.off('click', onClick)
      map.off('dblclick', onDoubleClick)
      map.off('mousemove', onMove)
      map.off('mouseup', onUp)
      map.off('mousedown', DRAW_VERTEX, onVertexDown)
      map.off('mouseenter', DRAW_VERTEX, onVertexEnter)
      map.off('mouseleave', DRAW_VERTEX, onVertexLeave)
      document.removeEventListener('keydown', onKey)
      canvas.style.cursor = ''
      map.doubleClickZoom.enable()
    }
  }, [map, step, finish, cancel, redraw])

  return {
    step, shape, vertices,
    start: (next) => {
      current.current.pointer = null
      setShape(next)
      setVertices([])
      setStep('drawing')
    },
    load: (next, points) => {
      current.current.pointer = null
      setShape(next)
      setVertices(points)
      setStep('drawn')
    },
    addAtCentre: () => {
      if (!map) return
      const c = map.getCenter()
      const p = round([c.lng, c.lat])
      if (current.current.shape === 'point') {
        setVertices([p])
        setStep('drawn')
        return
      }
      setVertices([...current.current.vertices, p])
    },
    undo: () => setVertices(current.current.vertices.slice(0, -1)),
    finish,
    cancel,
    canFinish: vertices.length >= minVertices(shape),
  }
}

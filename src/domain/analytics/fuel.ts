// Fuel used in a firing, from whichever gas sensor the kiln has (docs/influx.md):
// a flow meter (kg/h, or m³/h at a reference), a totaliser register, or a cylinder scale.
// Pure functions over device-time samples; gaps and estimates are reported, never hidden.

export {
  timeOrdered, integrateFlow, flowIntervals, flowSegments,
  type Timed, type FlowSample, type FlowOpts, type Gap, type FlowIntegral, type FlowInterval,
} from './fuel-flow.ts';
export {
  m3ToKg, lpgDensityKgM3, lpgMolarMassGMol, propaneMolFraction, integrateVolumeFlow,
  type VolumeFlowSample,
} from './fuel-gas.ts';
export {
  totalizerConsumption, scaleConsumption,
  type TotalSample, type TotalizerOpts, type MeterReset, type TotalizerResult,
  type ScaleSample, type ScaleOpts, type CylinderSwap, type ScaleResult,
} from './fuel-meters.ts';

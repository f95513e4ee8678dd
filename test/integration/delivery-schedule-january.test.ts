// A fiscal year of daily ticks, fiscal year starting in January (the shared scenario: delivery-schedule.ts).
import { describeSimulatedYear, SIMULATIONS } from './delivery-schedule.js';

describeSimulatedYear(SIMULATIONS.january);

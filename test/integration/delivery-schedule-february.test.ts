// A fiscal year of daily ticks, fiscal year starting in February (the shared scenario: delivery-schedule.ts).
import { describeSimulatedYear, SIMULATIONS } from './delivery-schedule.js';

describeSimulatedYear(SIMULATIONS.february);

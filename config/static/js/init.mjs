// Progressive enhancement only: every journey works without JavaScript.
import { initAll } from './govuk-frontend.min.js'
initAll()

"""Fictional name parts for the demo city and benchmarks (synthetic data only, no real people)."""

FEMALE_GIVEN = [
    "María", "María José", "María Fernanda", "María Alejandra", "María Gabriela", "Ana",
    "Ana María", "Ana Lucía", "Luisa Fernanda", "Yuleisy", "Yelitza", "Daniela", "Valentina",
    "Andrea", "Carolina", "Gabriela", "Rosa", "Rosa Elena", "Carmen", "Carmen Julia", "Luz Marina",
    "Leidy", "Yenny", "Milagros", "Dayana", "Génesis", "Oriana", "Mariángel", "Yusmary",
    "Nathaly", "Sofía", "Isabella", "Camila", "Paola", "Katherine", "Yolimar", "Ángela",
    "Inés", "Mónica", "Lucía", "Zulay", "Marbelys", "Daniela Sofía", "Sara", "Juliana",
]
MALE_GIVEN = [
    "José", "José Luis", "José Gregorio", "Juan", "Juan Carlos", "Juan David", "Luis",
    "Luis Alberto", "Carlos", "Carlos Eduardo", "Jesús", "Jesús Alberto", "Miguel Ángel",
    "Andrés", "Andrés Felipe", "Jhon", "Jhonny", "Yeferson", "Wilmer", "Richard", "Ramón",
    "Pedro", "Pedro José", "Francisco", "Rafael", "Óscar", "Héctor", "Édgar", "Néstor",
    "Santiago", "Samuel", "Sebastián", "Mateo", "Daniel", "David", "Alejandro", "Kevin",
    "Brayan", "Yonaiker", "Darwin", "Germán", "Iván", "Julián", "Simón", "Elías",
]
SURNAMES = [
    "Rodríguez", "González", "Hernández", "Pérez", "García", "Martínez", "López", "Sánchez",
    "Ramírez", "Torres", "Díaz", "Rojas", "Moreno", "Jiménez", "Gómez", "Vargas", "Castillo",
    "Morales", "Ortiz", "Gutiérrez", "Chávez", "Mendoza", "Silva", "Romero", "Suárez",
    "Contreras", "Medina", "Aguilar", "Herrera", "Peña", "Muñoz", "Álvarez", "Rincón", "Parra",
    "Cárdenas", "Quintero", "Salazar", "Villalobos", "Márquez", "Briceño", "Useche", "Colmenares",
    "Durán", "Zambrano", "Acosta", "Palacios", "Núñez", "Ibáñez", "Ochoa", "Barrios", "De la Hoz",
    "Montaño", "Camacho", "Ospina", "Valencia", "Arrieta", "Caicedo", "Mosquera", "Polo", "Mejía",
]
STREETS = ["Calle", "Carrera", "Diagonal", "Transversal"]
OCCUPATIONS = [
    "Vendedora ambulante", "Albañil", "Peluquera", "Cocinero", "Enfermera", "Docente",
    "Mecánico", "Costurera", "Conductor", "Mesero", "Técnico electricista", "Contadora",
    "Agricultor", "Cuidadora", "Estudiante", "Oficios varios", "Ingeniero civil", "Panadero",
]
